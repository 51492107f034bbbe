"""Only for the demo's and the tests' local AWS: send every AWS client to it.

Libraries such as sagemaker-studio-analytics-extension, sagemaker-studio-sparkmagic-lib and
amazon-sagemaker-jupyter-scheduler build their own endpoint URLs (``https://sts.us-east-1...``,
``https://elasticmapreduce...``, ``https://iam.global.api.aws``) and pass them to botocore or
aiobotocore, so ``AWS_ENDPOINT_URL`` never reaches them. This module is on ``PYTHONPATH`` only
in processes that the demo and the tests start (the Jupyter server, and through it every kernel
and scheduled job). When ``LOCAL_AWS_ENDPOINT_URL`` is set there, any endpoint URL a library
passes when it creates a client is replaced by that endpoint. Nothing of the product depends on
it, and without the variable it does nothing.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import inspect
import os
import sys

ENDPOINT = os.environ.get("LOCAL_AWS_ENDPOINT_URL", "")


def _redirecting(create):
    """Wraps a ``create_client`` whose ``endpoint_url`` argument is replaced by ENDPOINT."""
    signature = inspect.signature(create)

    @functools.wraps(create)
    def create_client(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        if bound.arguments.get("endpoint_url") not in (None, ENDPOINT):
            bound.arguments["endpoint_url"] = ENDPOINT
        return create(*bound.args, **bound.kwargs)

    return create_client


def _patch_botocore(module) -> None:
    module.Session.create_client = _redirecting(module.Session.create_client)


def _patch_aiobotocore(module) -> None:
    module.AioSession._create_client = _redirecting(module.AioSession._create_client)


PATCHES = {"botocore.session": _patch_botocore, "aiobotocore.session": _patch_aiobotocore}


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Patches a module right after it is first imported, so processes that never use AWS
    never import botocore for this."""

    def find_spec(self, name, path, target=None):
        patch = PATCHES.get(name)
        if patch is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_patch(module):
            exec_module(module)
            patch(module)

        spec.loader.exec_module = exec_and_patch
        return spec


if ENDPOINT:
    sys.meta_path.insert(0, _PatchOnImport())
