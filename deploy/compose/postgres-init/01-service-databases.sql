-- One role and one database per service, each owned by its role, as in deploy/local/stack.py.
-- The passwords are the role names: for a developer's machine only (ports bound to 127.0.0.1).
CREATE ROLE intake LOGIN PASSWORD 'intake';
CREATE DATABASE intake OWNER intake;
CREATE ROLE training LOGIN PASSWORD 'training';
CREATE DATABASE training OWNER training;
CREATE ROLE committee LOGIN PASSWORD 'committee';
CREATE DATABASE committee OWNER committee;
CREATE ROLE procurement LOGIN PASSWORD 'procurement';
CREATE DATABASE procurement OWNER procurement;
CREATE ROLE monitoring LOGIN PASSWORD 'monitoring';
CREATE DATABASE monitoring OWNER monitoring;
