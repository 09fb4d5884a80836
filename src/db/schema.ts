import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps come back as Date and may be written as Date or ISO text. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type Json<T> = ColumnType<T, string, string>;
/** A timestamp the database fills in when none is given. */
export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AreaTable {
  id: Generated<string>;
  slug: string;
  name: string;
  funded_places: Generated<number>;
  budget_pence: number | null;
  contract_start: string | null;
  contract_end: string | null;
  /** The area's policy (see src/domain/eligibility/policy.ts), complete with defaults. */
  policy: Json<Record<string, unknown>>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface UserTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: string;
  password_hash: string | null;
  /** TOTP secret, encrypted with the field key. Null until the user sets up a second factor. */
  totp_secret: string | null;
  totp_confirmed_at: Timestamp | null;
  /** The last TOTP time-step accepted, so a code cannot be replayed. */
  totp_last_step: number | null;
  disabled_at: Timestamp | null;
  created_at: GeneratedTimestamp;
  created_by: string | null;
  updated_at: GeneratedTimestamp;
}

export interface UserAreaTable {
  user_id: string;
  area_id: string;
}

export interface UserSetupTokenTable {
  token_hash: string;
  user_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: GeneratedTimestamp;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  /** Password checked but second factor not yet: only set-up and verify pages are open. */
  second_factor_done: boolean;
  /** Where to go once sign-in finishes. */
  return_to: string | null;
  created_at: GeneratedTimestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginAttemptTable {
  id: Generated<string>;
  /** `account:<email>` or `ip:<address>` */
  key: string;
  ip: string | null;
  succeeded: boolean;
  attempted_at: GeneratedTimestamp;
}

export interface ApiTokenTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: GeneratedTimestamp;
  created_by: string | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  seq: Generated<string>;
  at: GeneratedTimestamp;
  actor_id: string | null;
  actor_label: string;
  action: string;
  record_type: string;
  record_id: string | null;
  area_id: string | null;
  fields: Json<string[]>;
  detail: Json<Record<string, unknown>>;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface ParticipantTable {
  id: Generated<string>;
  area_id: string;
  police_person_id: string;
  first_name: string;
  last_name: string;
  date_of_birth: string;
  sex: string;
  preferred_language: string;
  interpreter_needed: boolean;
  accessibility_needs: string;
  phone: string | null;
  email: string | null;
  address: Json<{ line1: string; town: string; postcode: string } | null> | null;
  ethnicity: string | null;
  disability: string | null;
  needs_step_free_access: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** Victim names and contact details are stored encrypted (`*_enc`). */
export interface VictimTable {
  id: Generated<string>;
  area_id: string;
  first_name_enc: string;
  last_name_enc: string;
  phone_enc: string | null;
  email_enc: string | null;
  contact_notes_enc: string | null;
  safe_to_contact: boolean;
  preferred_language: string;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface ReferralTable {
  id: Generated<string>;
  area_id: string;
  police_reference: string;
  status: string;
  participant_id: string;
  victim_id: string;
  referring_officer: Json<{ name: string; collarNumber: string; email: string }>;
  disposal_type: string;
  disposal_date: string;
  disposal_authorised_by: string;
  relationship: string;
  risk_level: string;
  full_admission: boolean;
  accepts_responsibility: boolean;
  victim_consent: boolean;
  coercive_control_evidence: boolean;
  on_bail_or_court_order: boolean;
  prior_violence: Json<{ kind: string; date: string }[]>;
  eligibility: Json<{ outcome: string; rules: { rule: string; passed: boolean; message: string }[]; reviewReasons: string[] }>;
  eligibility_outcome: string;
  contact_by: string;
  complete_by: string;
  first_contacted_at: Timestamp | null;
  submitted_via: 'api' | 'web' | 'import';
  created_at: GeneratedTimestamp;
  created_by: string | null;
  updated_at: GeneratedTimestamp;
}

export interface ReferralOffenceTable {
  id: Generated<string>;
  referral_id: string;
  position: number;
  category: string;
  home_office_code: string;
  offence_date: string;
  description: string;
}

export interface ReferralEventTable {
  id: Generated<string>;
  referral_id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_label: string;
  type: string;
  from_status: string | null;
  to_status: string | null;
  summary: string;
  detail: Json<Record<string, unknown>>;
}

export interface OffenderContactTable {
  id: Generated<string>;
  referral_id: string;
  kind: 'attempt' | 'contact';
  channel: string;
  contacted_at: Timestamp;
  outcome: string;
  recorded_at: Timestamp;
  recorded_by: string | null;
}

export interface IdempotencyKeyTable {
  user_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: Json<unknown>;
  created_at: GeneratedTimestamp;
}

export interface ReferralDraftTable {
  id: Generated<string>;
  user_id: string;
  data: Json<Record<string, unknown>>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface VenueTable {
  id: Generated<string>;
  area_id: string;
  name: string;
  address: string;
  postcode: string;
  step_free: boolean;
  accessibility: string;
  rooms: string;
  created_at: GeneratedTimestamp;
  created_by: string | null;
}

export interface FacilitatorTable {
  id: Generated<string>;
  area_id: string;
  user_id: string | null;
  name: string;
  organisation: string;
  sexes: Json<string[]>;
  languages: Json<string[]>;
  calendar_token_hash: string | null;
  created_at: GeneratedTimestamp;
  created_by: string | null;
}

export interface FacilitatorUnavailableDateTable {
  facilitator_id: string;
  date: string;
}

export interface ProgrammeRunTable {
  id: Generated<string>;
  area_id: string;
  venue_id: string;
  sex: string;
  language: string;
  interpreter_languages: Json<string[]>;
  interpreter_notes: string;
  capacity: number;
  booked_count: Generated<number>;
  part_a_date: string;
  part_a_start: string;
  part_a_end: string;
  part_b_date: string;
  part_b_start: string;
  part_b_end: string;
  cancelled_at: Timestamp | null;
  created_at: GeneratedTimestamp;
  created_by: string | null;
}

export interface RunFacilitatorTable {
  run_id: string;
  facilitator_id: string;
}

export interface BookingTable {
  id: Generated<string>;
  referral_id: string;
  run_id: string;
  status: 'booked' | 'cancelled' | 'completed' | 'not_completed';
  counts_as_rebook: Generated<boolean>;
  created_at: Timestamp;
  created_by: string | null;
  cancelled_at: Timestamp | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

export interface ParticipantUnavailableDateTable {
  referral_id: string;
  date: string;
  reason: string;
}

export interface SessionAttendanceTable {
  id: Generated<string>;
  booking_id: string;
  referral_id: string;
  run_id: string;
  part: 'A' | 'B';
  outcome: string;
  /** Provider only: never shown to police or victim workers. */
  engagement_note: string;
  corrects_id: string | null;
  correction_reason: string | null;
  recorded_at: Timestamp;
  recorded_by: string | null;
}

export interface ReasonableExcuseTable {
  id: Generated<string>;
  referral_id: string;
  kind: string;
  details: string;
  evidence_seen: boolean;
  recorded_at: Timestamp;
  recorded_by: string | null;
}

export interface PoliceNoticeTable {
  id: Generated<string>;
  area_id: string;
  referral_id: string;
  kind: 'breach' | 'risk_escalation';
  facts: Json<Record<string, unknown>>;
  created_at: Timestamp;
  created_by: string | null;
  respond_by: string;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  outcome: string | null;
  outcome_notes: string | null;
  outcome_at: Timestamp | null;
  outcome_by: string | null;
  chased_at: Timestamp | null;
  chase_count: Generated<number>;
}

export interface SignpostingServiceTable {
  id: Generated<string>;
  area_id: string;
  name: string;
  category: string;
  contact: string;
  website: string;
  active: Generated<boolean>;
  created_at: GeneratedTimestamp;
}

export interface SignpostTable {
  referral_id: string;
  service_id: string;
  recorded_at: Timestamp;
  recorded_by: string | null;
}

export interface QuestionnaireQuestionsTable {
  area_id: string;
  stage: 'part_a_start' | 'part_b_end';
  questions: Json<unknown[]>;
  updated_at: GeneratedTimestamp;
}

export interface QuestionnaireResponseTable {
  id: Generated<string>;
  referral_id: string;
  stage: 'part_a_start' | 'part_b_end';
  answers: Json<Record<string, unknown>>;
  mode: 'paper' | 'tablet';
  entered_at: Timestamp;
  entered_by: string | null;
}

export interface JobTable {
  id: Generated<string>;
  kind: string;
  payload: Json<Record<string, unknown>>;
  run_at: Timestamp;
  dedupe_key: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  done_at: Timestamp | null;
  created_at: GeneratedTimestamp;
}

export interface VictimContactTable {
  id: Generated<string>;
  referral_id: string;
  kind: 'attempt' | 'contact';
  channel: string;
  contacted_at: Timestamp;
  outcome: string;
  notes_enc: string | null;
  recorded_at: Timestamp;
  recorded_by: string | null;
}

/** How the victim may be contacted safely; history kept, the latest row wins. */
export interface VictimContactRuleTable {
  id: Generated<string>;
  referral_id: string;
  safe_channels: Json<string[]>;
  safe_times_enc: string | null;
  no_voicemail: boolean;
  notes_enc: string | null;
  recorded_at: Timestamp;
  recorded_by: string | null;
}

/** Whether the victim wants updates about the offender, and how; history kept, the latest row wins. */
export interface VictimConsentTable {
  id: Generated<string>;
  referral_id: string;
  wants_attendance_updates: boolean;
  wants_outcome_updates: boolean;
  update_channel: string | null;
  recorded_at: Timestamp;
  recorded_by: string | null;
}

export interface VictimUpdateTable {
  id: Generated<string>;
  referral_id: string;
  kind: 'attendance' | 'outcome';
  channel: string;
  consent_id: string;
  content_enc: string;
  sent_at: Timestamp;
  sent_by: string | null;
}

export interface SafetyConcernTable {
  id: Generated<string>;
  referral_id: string;
  level: 'standard' | 'medium' | 'high';
  raises_risk: boolean;
  details_enc: string;
  police_summary_enc: string | null;
  notice_id: string | null;
  recorded_at: Timestamp;
  recorded_by: string | null;
}

/** A flag the victim worker shares with the provider (no notes). */
export interface VictimSharedFlagTable {
  id: Generated<string>;
  referral_id: string;
  kind: 'do_not_book_dates' | 'concern_raised';
  dates: ColumnType<string[], string | undefined, string>;
  shared_text: Generated<string>;
  set_at: Timestamp;
  set_by: string | null;
  withdrawn_at: Timestamp | null;
  withdrawn_by: string | null;
}

export interface SurveyLinkTable {
  id: Generated<string>;
  referral_id: string;
  token_hash: string;
  language: string;
  created_at: Timestamp;
  created_by: string | null;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SurveyResponseTable {
  id: Generated<string>;
  survey_link_id: string;
  referral_id: string;
  language: string;
  answers: Json<Record<string, string>>;
  comments_enc: string | null;
  submitted_at: Timestamp;
}

export type MessageRecipient = 'participant' | 'victim';
export type MessageChannel = 'sms' | 'email' | 'letter';
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'failed' | 'cancelled';

/** A message in the outbox (src/features/messages): written with the change that causes it, delivered by the job runner. */
export interface OutboxMessageTable {
  id: Generated<string>;
  area_id: string;
  referral_id: string;
  booking_id: string | null;
  recipient: MessageRecipient;
  channel: MessageChannel;
  language: string;
  template: string;
  variables: Json<Record<string, string | number>>;
  dedupe_key: string;
  status: MessageStatus;
  attempts: Generated<number>;
  send_after: Timestamp;
  provider: 'notify' | 'local' | 'print' | null;
  provider_id: string | null;
  subject: string | null;
  body: string | null;
  sent_at: Timestamp | null;
  delivered_at: Timestamp | null;
  /** For a letter: the coordinator who marked it posted. */
  delivered_by: string | null;
  failed_at: Timestamp | null;
  failure_reason: string | null;
  cancelled_at: Timestamp | null;
  fallback_for: string | null;
  created_at: Timestamp;
  created_by: string | null;
}

/** What happened to a message: queued, sent, delivered, failed, cancelled, printed and posted. */
export interface MessageEventTable {
  id: Generated<string>;
  message_id: string;
  at: Timestamp;
  type: string;
  detail: Json<Record<string, unknown>>;
  actor_id: string | null;
  actor_label: string;
}

export interface Database {
  areas: AreaTable;
  users: UserTable;
  user_areas: UserAreaTable;
  user_setup_tokens: UserSetupTokenTable;
  sessions: SessionTable;
  login_attempts: LoginAttemptTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditLogTable;
  participants: ParticipantTable;
  victims: VictimTable;
  referrals: ReferralTable;
  referral_offences: ReferralOffenceTable;
  referral_events: ReferralEventTable;
  offender_contacts: OffenderContactTable;
  idempotency_keys: IdempotencyKeyTable;
  referral_drafts: ReferralDraftTable;
  venues: VenueTable;
  facilitators: FacilitatorTable;
  facilitator_unavailable_dates: FacilitatorUnavailableDateTable;
  programme_runs: ProgrammeRunTable;
  run_facilitators: RunFacilitatorTable;
  bookings: BookingTable;
  participant_unavailable_dates: ParticipantUnavailableDateTable;
  session_attendance: SessionAttendanceTable;
  reasonable_excuses: ReasonableExcuseTable;
  police_notices: PoliceNoticeTable;
  signposting_services: SignpostingServiceTable;
  signposts: SignpostTable;
  questionnaire_questions: QuestionnaireQuestionsTable;
  questionnaire_responses: QuestionnaireResponseTable;
  jobs: JobTable;
  victim_contacts: VictimContactTable;
  victim_contact_rules: VictimContactRuleTable;
  victim_consents: VictimConsentTable;
  victim_updates: VictimUpdateTable;
  safety_concerns: SafetyConcernTable;
  victim_shared_flags: VictimSharedFlagTable;
  survey_links: SurveyLinkTable;
  survey_responses: SurveyResponseTable;
  outbox_messages: OutboxMessageTable;
  message_events: MessageEventTable;
}

export type AreaRow = Selectable<AreaTable>;
export type NewArea = Insertable<AreaTable>;
export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
