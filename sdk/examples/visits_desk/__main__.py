from reintegration_sdk.service import serve
from visits_desk.app import definition

serve(definition)
