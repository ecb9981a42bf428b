/**
 * The version of the event contracts: info.version of docs/contracts/asyncapi.yaml, for all the event types
 * and schema files together (apart from each type's own schemaVersion). It moves with every change to what
 * generate-contracts.ts writes, as the read API's READ_API_VERSION does: a new event type, a new optional
 * field or a personal-data mark (schemas/personal-data.ts) moves the minor version, a correction of wording
 * (a description) the patch, and a new schemaVersion of a type (a breaking change of it, which the services
 * then publish) the major version. Each move gets a line under "Downstream consumers" in docs/releases.md
 * naming "Event contracts `<version>`" and what changed (docs/contracts/README.md, "Versioning").
 */
export const EVENT_CONTRACTS_VERSION = '1.7.0';

/**
 * eventContractsDigest() of the contracts EVENT_CONTRACTS_VERSION publishes: contracts.drift.unit.spec.ts
 * fails while the generated contracts differ from it, so that a change to them cannot go out under a
 * version already given. Set it only together with a new version.
 */
export const EVENT_CONTRACTS_DIGEST = '17ef1f971ea04af215f4180c18f98a9dccb35007bacc1ea9b0018de76d26ccbf';
