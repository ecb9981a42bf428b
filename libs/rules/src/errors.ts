/** Bad input to a rule: names the field (dotted path) and, where one applies, the rule id. */
export class RuleInputError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly ruleId?: string,
  ) {
    super(`${ruleId ? `${ruleId}: ` : ''}${field}: ${problem}`);
    this.name = 'RuleInputError';
  }
}
