/** Word pools for synthetic names and addresses (invented; any match with a real business is chance). */

export const HI_PREFIXES = [
  'Lakeside',
  'Summit',
  'Heartland',
  'Riverbend',
  'Northstar',
  'Cedar',
  'Prairie',
  'Keystone',
  'Harbor',
  'Bluestem',
  'Evergreen',
  'Pinnacle',
  'Meridian',
  'Crescent',
  'Redwood',
  'Granite',
  'Willow',
  'Frontier',
  'Beacon',
  'Sterling',
  'Valley',
  'Horizon',
  'Compass',
  'Magnolia',
] as const;

export const HI_SUFFIXES = [
  'Home Infusion',
  'Infusion Services',
  'Infusion Pharmacy',
  'Home Infusion Therapy',
  'Infusion Care',
] as const;

export const RETAIL_CHAINS = [
  'Hometown Drug',
  'Crossroads Pharmacy',
  'Maple Street Apothecary',
  'Northway Pharmacy',
  'Family Care Pharmacy',
  'Corner Drug',
  'ValuRx Pharmacy',
  'Main Street Pharmacy',
  'Parkview Drug',
  'Sunrise Pharmacy',
] as const;

export const SPECIALTY_NAMES = [
  'Specialty Pharmacy',
  'Specialty Rx',
  'Specialty Care Pharmacy',
] as const;
export const LTC_NAMES = [
  'Long-Term Care Pharmacy',
  'Institutional Pharmacy Services',
  'LTC Rx',
] as const;
export const MAIL_NAMES = [
  'Mail Service Pharmacy',
  'Rx by Mail',
  'Home Delivery Pharmacy',
] as const;

export const STREETS = [
  'Main',
  'Oak',
  'Maple',
  'Washington',
  'Lincoln',
  'Park',
  'Lake',
  'Hill',
  'Church',
  'Market',
  'Jefferson',
  'Madison',
  'Center',
  'Elm',
  'Pine',
  'Walnut',
  'Spring',
  'Ridge',
  'Mill',
  'River',
  'Grand',
  'State',
  'Franklin',
  'Jackson',
  'Highland',
  'Broadway',
  'Sycamore',
  'Chestnut',
] as const;

export const STREET_TYPES = ['St', 'Ave', 'Rd', 'Blvd', 'Dr', 'Pkwy', 'Ln', 'Ct'] as const;

export const CITIES = [
  'Springfield',
  'Franklin',
  'Greenville',
  'Clinton',
  'Fairview',
  'Madison',
  'Georgetown',
  'Salem',
  'Riverside',
  'Marion',
  'Oxford',
  'Jackson',
  'Auburn',
  'Milton',
  'Ashland',
  'Dover',
  'Newport',
  'Lexington',
  'Burlington',
  'Manchester',
  'Clayton',
  'Hudson',
  'Kingston',
  'Mount Vernon',
] as const;

export const AGENCY_NAMES = [
  'Visiting Nurse Association of the Midlands',
  'CareBridge Home Health',
  'Hearthstone Home Health Agency',
  'Allied Infusion Nursing',
  'Homeward Nursing Services',
  'Trinity Home Care',
  'Guardian Home Health',
  'Community VNA',
] as const;

export const PLAN_WORDS = [
  'Value',
  'Plus',
  'Premier',
  'Essential',
  'Choice',
  'Select',
  'Complete',
] as const;
export const SPONSOR_WORDS = [
  'Lakeshore',
  'Keystone',
  'Summit',
  'Heartland',
  'Liberty',
  'Pioneer',
  'Evergreen',
] as const;
