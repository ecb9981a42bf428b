/** Version of the decision code itself; bump when any rule's logic changes (replay compares it). */
export const RULESET_VERSION = 'rules-2026.1';
