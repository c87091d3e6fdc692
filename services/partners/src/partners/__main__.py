from partners.app import definition
from reintegration_sdk import serve

serve(definition)
