// The e-mail choices of the notice settings page, shared by the server module and the page itself.
// The page renders them in the browser too, where a *.server module is empty: imported from
// notices.server.ts they were undefined there, and the page fell over on hydration ("Något gick fel").

export const EMAIL_MODES = ["immediate", "digest", "off"] as const;
export type EmailModeValue = (typeof EMAIL_MODES)[number];

export const EMAIL_MODE_LABELS: Record<EmailModeValue, string> = {
  immediate: "Direkt",
  digest: "Daglig sammanfattning",
  off: "Ingen e-post",
};

/** Form fields are named `email.<topic>`. */
export const FIELD_PREFIX = "email.";
