/**
 * Country vocabulary: the BIG5 reference uses ISO 3166-1 alpha-2 codes (from GeoIP); the McCrae & Terracciano (2005)
 * norms use mostly alpha-3 codes, with MOR for Morocco and SKO for South Korea. Regions are named sets of alpha-2 codes.
 */

/** Names of the countries that appear in the reference or the norms (alpha-2 -> English name). */
export const COUNTRY_NAMES: Record<string, string> = {
  AE: 'United Arab Emirates', AR: 'Argentina', AT: 'Austria', AU: 'Australia', BD: 'Bangladesh', BE: 'Belgium',
  BF: 'Burkina Faso', BG: 'Bulgaria', BR: 'Brazil', BW: 'Botswana', CA: 'Canada', CH: 'Switzerland', CL: 'Chile',
  CN: 'China', CZ: 'Czechia', DE: 'Germany', DK: 'Denmark', EE: 'Estonia', EG: 'Egypt', ES: 'Spain', ET: 'Ethiopia',
  FI: 'Finland', FR: 'France', GB: 'United Kingdom', GR: 'Greece', HK: 'Hong Kong', HR: 'Croatia', HU: 'Hungary',
  ID: 'Indonesia', IE: 'Ireland', IN: 'India', IR: 'Iran', IS: 'Iceland', IT: 'Italy', JP: 'Japan', KE: 'Kenya',
  KR: 'South Korea', KW: 'Kuwait', LB: 'Lebanon', LK: 'Sri Lanka', MA: 'Morocco', MN: 'Mongolia', MO: 'Macau',
  MT: 'Malta', MX: 'Mexico', MY: 'Malaysia', NG: 'Nigeria', NL: 'Netherlands', NO: 'Norway', NZ: 'New Zealand',
  PE: 'Peru', PH: 'Philippines', PK: 'Pakistan', PL: 'Poland', PR: 'Puerto Rico', PT: 'Portugal', RO: 'Romania',
  RS: 'Serbia', RU: 'Russia', SA: 'Saudi Arabia', SE: 'Sweden', SG: 'Singapore', SI: 'Slovenia', SK: 'Slovakia',
  TH: 'Thailand', TR: 'Turkey', TW: 'Taiwan', UG: 'Uganda', US: 'United States', VN: 'Vietnam', ZA: 'South Africa',
};

/** McCrae & Terracciano country codes -> alpha-2. */
export const MCCRAE_TO_ALPHA2: Record<string, string> = {
  ARG: 'AR', AUS: 'AU', AUT: 'AT', BEL: 'BE', BFA: 'BF', BRA: 'BR', BWA: 'BW', CAN: 'CA', CHE: 'CH', CHL: 'CL',
  CHN: 'CN', CZE: 'CZ', DEU: 'DE', DNK: 'DK', ESP: 'ES', EST: 'EE', ETH: 'ET', FRA: 'FR', GBR: 'GB', HKG: 'HK',
  HRV: 'HR', IDN: 'ID', IND: 'IN', IRN: 'IR', ISL: 'IS', ITA: 'IT', JPN: 'JP', KWT: 'KW', LBN: 'LB', MEX: 'MX',
  MLT: 'MT', MOR: 'MA', MYS: 'MY', NGA: 'NG', NZL: 'NZ', PER: 'PE', PHL: 'PH', POL: 'PL', PRI: 'PR', PRT: 'PT',
  RUS: 'RU', SKO: 'KR', SRB: 'RS', SVK: 'SK', SVN: 'SI', THA: 'TH', TUR: 'TR', UGA: 'UG', USA: 'US',
};

export function countryName(code: string): string {
  return COUNTRY_NAMES[code] ?? code;
}

/** The paper's regions, ready-made; users add their own. */
export const REGION_PRESETS: Record<string, { label: string; countries: string[] }> = {
  'east-asia': { label: 'East Asia', countries: ['CN', 'JP', 'KR', 'HK', 'MN', 'TW', 'MO'] },
  'north-america': { label: 'North America', countries: ['US', 'CA'] },
  europe: { label: 'Europe (Germany, Netherlands, UK)', countries: ['DE', 'NL', 'GB'] },
};
