/** Art. 6 facts of a center that meets every criterion of the default policy (for specs). */
export const eligibleFacts = {
  premises: { buildingAreaM2: '5200.00' },
  services: [
    'technology_trading',
    'intellectual_property',
    'financial_matching',
    'talent_services',
    'legal_services',
  ],
  functions: ['display', 'interaction', 'trading', 'transformation'],
  institutions: [
    { name: '吉林大学', kind: 'university' },
    { name: '长春理工大学', kind: 'university' },
    { name: '长春光学精密机械与物理研究所', kind: 'research_institute' },
    { name: '长春应用化学研究所', kind: 'research_institute' },
    { name: '长春某光电科技有限公司', kind: 'enterprise' },
    { name: '长春某汽车零部件有限公司', kind: 'enterprise' },
    { name: '长春某新材料股份有限公司', kind: 'enterprise' },
    { name: '长春某生物医药有限公司', kind: 'enterprise' },
    { name: '长春某知识产权代理事务所', kind: 'st_service_org' },
    { name: '长春某技术转移中心', kind: 'st_service_org' },
  ],
  strategicCooperations: [{ partner: '长春市科学技术局', level: 'city' }],
  operator: { name: '长春某促进中心运营管理有限公司', creditCode: '91220101MA14ABCD0Y' },
  team: { staffInPost: 10, brokers: { junior: 2, intermediate: 3, senior: 2 } },
  activities: { count: 100 },
};
