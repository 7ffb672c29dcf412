// What a user can be notified about: each topic has a Swedish name for the
// preferences page and says who receives it. Shared by the dispatcher, the
// reminder jobs, the e-mails and the UI.
export type NotificationTopic =
  | "application_registered"
  | "completion_requested"
  | "decision_made"
  | "instalment_paid"
  | "payment_request_due"
  | "report_due"
  | "report_overdue"
  | "report_completion_requested"
  | "reclaim_decided"
  | "call_closing"
  | "case_waiting"
  | "reports_overdue_in_calls"
  | "instalments_due";

export type TopicInfo = { label: string; audience: "applicant" | "officer" | "finance" };

export const TOPICS: Record<NotificationTopic, TopicInfo> = {
  application_registered: { label: "Ansökan registrerad (kvitto)", audience: "applicant" },
  completion_requested: { label: "Begäran om komplettering", audience: "applicant" },
  decision_made: { label: "Beslut fattat", audience: "applicant" },
  instalment_paid: { label: "Utbetalning gjord", audience: "applicant" },
  payment_request_due: { label: "Rekvisition ska göras (7 dagar innan sista dag)", audience: "applicant" },
  report_due: { label: "Redovisning ska lämnas (30 och 7 dagar innan)", audience: "applicant" },
  report_overdue: { label: "Redovisning är försenad", audience: "applicant" },
  report_completion_requested: { label: "Komplettering av redovisning begärd", audience: "applicant" },
  reclaim_decided: { label: "Återkrav beslutat och förfallodag", audience: "applicant" },
  call_closing: { label: "Utlysning stänger snart", audience: "officer" },
  case_waiting: { label: "Ärenden som väntat länge", audience: "officer" },
  reports_overdue_in_calls: { label: "Försenade redovisningar i mina utlysningar", audience: "officer" },
  instalments_due: { label: "Utbetalningar som förfaller denna vecka", audience: "finance" },
};

export const NOTIFICATION_TOPICS = Object.keys(TOPICS) as NotificationTopic[];
