-- A database per service, as deploy/local/postgres.sh creates them.
create database intake;
create database review;
create database reporting;
create database assessment;
create database finance;
create database registry;
