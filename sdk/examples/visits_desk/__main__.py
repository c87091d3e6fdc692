from reintegration_sdk import serve
from visits_desk.app import definition

serve(definition)
