/**
 * Changchun's fifteen district-level units (GB/T 2260 codes): seven districts, one county, three
 * county-level cities and four development zones. The services key districts by their Chinese name, the
 * one intake's configured units use (NQPF_DISTRICT_UNITS; zones by their short names, as RULES "Actors").
 */
export const DISTRICTS = [
  { code: '220102', name: '南关区' },
  { code: '220103', name: '宽城区' },
  { code: '220104', name: '朝阳区' },
  { code: '220105', name: '二道区' },
  { code: '220106', name: '绿园区' },
  { code: '220112', name: '双阳区' },
  { code: '220113', name: '九台区' },
  { code: '220122', name: '农安县' },
  { code: '220182', name: '榆树市' },
  { code: '220183', name: '德惠市' },
  { code: '220184', name: '公主岭市' },
  { code: '220171', name: '经开区' },
  { code: '220172', name: '净月区' },
  { code: '220173', name: '高新区' },
  { code: '220174', name: '汽开区' },
] as const;

export type District = (typeof DISTRICTS)[number];
