"""The GraphQL door: strawberry types, inputs and enums over the `resolvers` functions."""
