pytest_plugins = ["reintegration_sdk.testing.plugin", "chaos.options"]
