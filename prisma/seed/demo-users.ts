// One demo user per role. The password is printed by `npm start` and listed in the README.
import type { Role } from "../../app/generated/prisma/enums";

export const DEMO_PASSWORD = "Utvecklingsmedel2020!";

export type DemoUser = { email: string; name: string; role: Role; roleLabel: string; organization: { countyCode?: string; municipalityCode?: string } };

/** Länsstyrelsen Östergötland (05) runs the calls; Länsstyrelsen i Stockholms län (01) coordinates. */
export const demoUsers: DemoUser[] = [
  { email: "handlaggare@demo.lansstyrelsen.se", name: "Hanna Lind", role: "officer", roleLabel: "Handläggare (Östergötland)", organization: { countyCode: "05" } },
  { email: "beslutsfattare@demo.lansstyrelsen.se", name: "Bertil Ek", role: "decision_maker", roleLabel: "Beslutsfattare (Östergötland)", organization: { countyCode: "05" } },
  { email: "ekonomi@demo.lansstyrelsen.se", name: "Eva Holm", role: "finance", roleLabel: "Ekonomi (Östergötland)", organization: { countyCode: "05" } },
  { email: "samordnare@demo.lansstyrelsen.se", name: "Sara Berg", role: "coordinator", roleLabel: "Samordnare (Stockholm)", organization: { countyCode: "01" } },
  { email: "admin@demo.lansstyrelsen.se", name: "Adam Nord", role: "admin", roleLabel: "Administratör (Östergötland)", organization: { countyCode: "05" } },
  { email: "sokande@demo.linkoping.se", name: "Sofia Karlsson", role: "applicant", roleLabel: "Sökande (Linköpings kommun)", organization: { municipalityCode: "0580" } },
];
