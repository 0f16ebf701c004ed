"""A local S3 server (moto's server mode) for the object-storage and two-node tests.

`s3_server` is one server for the test session; `object_storage` gives a test its own empty
bucket and points the default file storage at it, as STORAGE_S3_* would in production.
"""

import logging
import secrets
from dataclasses import dataclass

import boto3
import pytest

REGION = "eu-north-1"
ACCESS_KEY, SECRET_KEY = "iop-test", "iop-test-secret"


@dataclass
class Bucket:
    endpoint: str
    name: str
    client: object

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def environment(self) -> dict[str, str]:
        """What a web node's environment says to use this bucket."""
        return {
            "STORAGE_S3_BUCKET": self.name, "STORAGE_S3_ENDPOINT_URL": self.endpoint,
            "STORAGE_S3_REGION": REGION, "STORAGE_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "STORAGE_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per S3 request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def new_bucket(endpoint: str) -> Bucket:
    client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                          aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)
    name = f"iop-{secrets.token_hex(6)}"
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return Bucket(endpoint, name, client)


@pytest.fixture
def object_storage(settings, s3_server) -> Bucket:
    """The default file storage is an empty bucket of the local S3 server."""
    bucket = new_bucket(s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": storage_settings(bucket)}
    return bucket


def storage_settings(bucket: Bucket) -> dict:
    """The file storage the app makes of `bucket`'s environment (config.settings)."""
    from config.settings import file_storage_from_env

    with pytest.MonkeyPatch.context() as patch:
        for name, value in bucket.environment().items():
            patch.setenv(name, value)
        return file_storage_from_env()
