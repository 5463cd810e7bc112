-- Lets the workspace expand a recipient known only by name into every
-- sender who paid it (http helper, issue 6).
CREATE INDEX transfers_beneficiary_name ON transfers (beneficiary_name, beneficiary_country);
