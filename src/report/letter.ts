/**
 * The CMS letter to Part D plan sponsors on home infusion therapy (spring 2006), as data: its
 * requirements, Attachment I (who pays for what) and Attachment II (the coordination decision
 * tree). Used by the workbook's Methodology sheet; exported for a future `guide` command and HTML
 * page. Source text: shared/seed/cms-home-infusion-letter.txt (extracted; tables lost their
 * layout, reassembled here column by column).
 */

export const LETTER_TITLE =
  'CMS letter to Part D plan sponsors on the home infusion benefit (spring 2006)';

/** The letter's four asks, with the section heading they appear under. */
export const LETTER_REQUIREMENTS: readonly { section: string; summary: string }[] = [
  {
    section: 'Clear Directions to Access Home Infusion Pharmacy',
    summary:
      'Plan sponsors need clear directions, through their customer and provider service lines, on how to contact an in-network pharmacy for coverage of Part D home infused drugs.',
  },
  {
    section: 'Home Infusion Drugs Must be Provided In a Usable Form',
    summary:
      'The contracted pharmacy must deliver home infused drugs in a form that can be administered in a clinically appropriate fashion (mixed, not unusable). The network must have pharmacies capable of both short-term acute (e.g. IV antibiotics) and long-term chronic (e.g. alpha-1 protease inhibitor) therapies; not every pharmacy must cover the full range, but the network in aggregate must have a sufficient number of pharmacies to cover it.',
  },
  {
    section: 'Assurances that Ancillary Services Will be Provided',
    summary:
      'Contracted pharmacies that do not supply the ancillary services (professional services, supplies, equipment: not a Part D benefit) must receive assurances that another entity, such as a home health agency, will arrange them before dispensing. CMS considers obtaining these assurances a minimum quality assurance requirement under 42 CFR 423.153(c).',
  },
  {
    section: 'Time Sensitive Nature of Home Infusion Therapy',
    summary:
      'Physicians may ask for expedited coverage determinations or redeterminations for home infusion drugs; plan sponsors should resolve these requests as quickly as possible.',
  },
];

export interface PaymentMatrix {
  title: string;
  /** Payers, left to right. */
  payers: readonly string[];
  /** One row per aspect; `cells` has one entry per payer. */
  rows: readonly { aspect: string; cells: readonly string[] }[];
}

/** Attachment I: Payment of Home Infusion Therapy for Medicare Beneficiaries. */
export const PAYMENT_MATRIX: PaymentMatrix = {
  title: 'Attachment I: Payment of Home Infusion Therapy for Medicare Beneficiaries',
  payers: [
    'Part A Home Health',
    'Part B DME Benefit',
    'Part C Medicare Advantage',
    'Part D Prescription Drug Plan',
    'State Medicaid Program',
    'Other Payer Coverage',
  ],
  rows: [
    {
      aspect: 'Requirement',
      cells: [
        'Homebound and in need of part-time or intermittent skilled nursing or therapy services, if such services are reasonable and necessary to the treatment of the illness or injury.',
        'If medically necessary for the drug to be administered through an infusion pump.',
        'Coverage of at least Part A/B services. Coordinated care plans may include additional coverage and mechanisms to control utilization.',
        'Drugs that are not currently covered under Parts A and B of Medicare, or otherwise excluded under Part D.',
        'Provided that coverage is not available through Parts A, B, C, or D of Medicare, Medicaid home health benefit may cover services, equipment and supplies necessary to administer home infusion drugs.',
        'Varies, but generally like Part C',
      ],
    },
    {
      aspect: 'Professional Fees',
      cells: [
        'Yes',
        'No',
        'Yes',
        'No',
        'Yes – May be billed separately or as part of bundled rate.',
        'Varies, but generally like Part C',
      ],
    },
    {
      aspect: 'Equipment and Supplies',
      cells: [
        'Sometimes – Home Health Therapy responsible for providing hydration fluid and IV supplies if infusion is provided via gravity feed method',
        'Yes – Supplies are billed separately by a DME vendor to appropriate DME Regional Carrier',
        'Yes – Included in per diem payment (generally bundled)',
        'No – Cost of supplies, equipment, and professional fees must be covered via Medicare Parts A or B, Medicare Advantage Plan, Medicaid, other insurance, or out-of-pocket',
        'Yes – May be billed separately or as part of bundled rate',
        'Varies, but generally like Part C',
      ],
    },
    {
      aspect: 'Drug Ingredient and Dispensing Fee',
      cells: [
        'No – Drugs and biologicals are specifically excluded from the Part A home health benefit',
        'Part B pays the drug costs as a part of the DME benefit but there is no separate dispensing fee paid',
        'If covered under Part B, yes. If not covered under Part B, must be covered under Part D in a MA-PD plan.',
        'Yes',
        'No – Unless drugs are included in bundled rate, which does not trigger Medicaid FFP exclusion',
        'Varies, but generally like Part C',
      ],
    },
  ],
};

/** One step of the decision tree. Branches name the step to go to next. */
export interface DecisionStep {
  step: number;
  kind: 'question' | 'action' | 'outcome';
  text: string;
  /** For questions: the step after YES / NO. For actions: the next step in `next`. */
  yes?: number;
  no?: number;
  next?: number;
}

export const DECISION_TREE_TITLE =
  'Attachment II: Coordination of home infusion therapy, decision tree';

/**
 * Attachment II as numbered steps. The flowchart's arrows were lost in extraction; the branches
 * below are reassembled from its boxes and YES/NO labels and should be checked against the
 * original before being quoted as the letter's wording.
 */
export const DECISION_TREE: readonly DecisionStep[] = [
  {
    step: 1,
    kind: 'question',
    text: "Question for the discharge planner at the hospital or the physician's office: if this is not a Part B drug, how does the beneficiary's Part D plan cover home infusion drugs? First decision point: does the plan's network include a home infusion provider that can (1) deliver the Part D home infusion drug and (2) provide the professional services and supplies associated with home infusion therapy?",
    yes: 2,
    no: 4,
  },
  {
    step: 2,
    kind: 'question',
    text: 'Is the beneficiary dual eligible (Medicare and Medicaid)?',
    yes: 3,
    no: 7,
  },
  {
    step: 3,
    kind: 'action',
    text: 'The Part D home infusion pharmacy coordinates and arranges for ancillary service coverage with the State, as in 2005.',
    next: 7,
  },
  {
    step: 4,
    kind: 'question',
    text: 'The network includes a contracted pharmacy that can provide the Part D home infusion drug and delivery, but not the professional services and supplies. Second decision point, for the contracted pharmacy: are there assurances that the ancillary services will be covered through Medicare Part A, B or C, third-party insurance, or another arrangement? Is there another entity (such as a home health agency or VNA) that can arrange for the provision of the services and supplies necessary for the administration of the Part D home infusion drugs?',
    yes: 5,
    no: 8,
  },
  {
    step: 5,
    kind: 'question',
    text: 'Is the beneficiary dual eligible (Medicare and Medicaid)?',
    yes: 6,
    no: 7,
  },
  {
    step: 6,
    kind: 'action',
    text: 'The Part D contracted pharmacy ensures the home health agency, VNA or other entity is working with the State to arrange coverage for the ancillary services.',
    next: 7,
  },
  {
    step: 7,
    kind: 'outcome',
    text: 'Home infusion therapy drugs and ancillary services are provided.',
  },
  {
    step: 8,
    kind: 'outcome',
    text: 'Beneficiaries have the option of paying for the ancillary services of home infusion therapy out-of-pocket.',
  },
];

export const DECISION_TREE_NOTE =
  "The letter's flowchart as numbered steps: start at step 1 and follow YES or NO from each question to the step it names.";

/** A decision step as one line a reader can follow: '2. Is ...? YES: go to 3. NO: go to 7.' */
export function describeStep(s: DecisionStep): string {
  const parts = [`${s.step}. ${s.text}`];
  if (s.kind === 'question') {
    parts.push(`YES: go to step ${s.yes ?? '?'}. NO: go to step ${s.no ?? '?'}.`);
  } else if (s.kind === 'action' && s.next !== undefined) {
    parts.push(`Then go to step ${s.next}.`);
  } else if (s.kind === 'outcome') {
    parts.push('(End.)');
  }
  return parts.join(' ');
}
