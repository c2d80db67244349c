// The pages' two conditions on when htmx may fetch, kept here rather than as
// hx-trigger filters: htmx evaluates filters with eval, which the pages'
// Content-Security-Policy forbids (script-src 'self', no 'unsafe-eval').
document.addEventListener("htmx:confirm", function (event) {
  var trigger = event.detail.triggeringEvent;
  if (!trigger) return;
  // Search as one types, but not while an input method is still composing the
  // characters: compositionend sends the search once they are there.
  if (trigger.type === "input" && trigger.isComposing) {
    event.preventDefault();
    return;
  }
  // Someone else changed the appeal: reload it, unless the person is typing in an
  // action form (their step then meets the new version and gets CONFLICT).
  if (trigger.type === "sse:changed") {
    var active = document.activeElement;
    if (active && active.closest && active.closest("#actions form")) {
      event.preventDefault();
    }
  }
});
