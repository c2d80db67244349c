"""The grassroots governance database (基层治理数据库) and the leaders' targets."""
