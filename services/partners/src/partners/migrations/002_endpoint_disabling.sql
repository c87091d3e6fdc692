-- Why an endpoint was disabled is a code (EndpointDisabledReason), the same as in the event
-- that told the partner and its office.
UPDATE webhook_endpoints SET disabled_reason = CASE
    WHEN disabled_reason LIKE 'gone%' THEN 'gone' ELSE 'failing' END
WHERE disabled_reason IS NOT NULL;
CREATE INDEX endpoints_disabled ON webhook_endpoints (partner_id) WHERE state = 'disabled';
