"""Uploads plant KPIs to the vendor's analytics bucket."""
import os

def get_password():
    return os.environ["SYNC_PASSWORD"]

password = get_password()
token = os.environ.get("SYNC_TOKEN")
print("password must be set in the environment")
