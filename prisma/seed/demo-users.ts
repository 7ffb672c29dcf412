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

/**
 * More staff for the demo scenario (not listed in the README): a second officer and
 * decision maker at Östergötland, so cases can be presented and decided by others
 * than the demo users, and staff at the other boards whose calls the coordinator follows.
 */
export const demoStaff: DemoUser[] = [
  { email: "johan.strand@demo.lansstyrelsen.se", name: "Johan Strand", role: "officer", roleLabel: "Handläggare (Östergötland)", organization: { countyCode: "05" } },
  { email: "maria.sjoberg@demo.lansstyrelsen.se", name: "Maria Sjöberg", role: "decision_maker", roleLabel: "Beslutsfattare (Östergötland)", organization: { countyCode: "05" } },
  { email: "karin.wik@demo.lansstyrelsen.se", name: "Karin Wik", role: "officer", roleLabel: "Handläggare (Stockholm)", organization: { countyCode: "01" } },
  { email: "lars.aberg@demo.lansstyrelsen.se", name: "Lars Åberg", role: "decision_maker", roleLabel: "Beslutsfattare (Stockholm)", organization: { countyCode: "01" } },
  { email: "petra.nystrom@demo.lansstyrelsen.se", name: "Petra Nyström", role: "finance", roleLabel: "Ekonomi (Stockholm)", organization: { countyCode: "01" } },
  { email: "amira.haddad@demo.lansstyrelsen.se", name: "Amira Haddad", role: "officer", roleLabel: "Handläggare (Skåne)", organization: { countyCode: "12" } },
  { email: "lena.persson@demo.lansstyrelsen.se", name: "Lena Persson", role: "decision_maker", roleLabel: "Beslutsfattare (Skåne)", organization: { countyCode: "12" } },
  { email: "nils.ekstrom@demo.lansstyrelsen.se", name: "Nils Ekström", role: "finance", roleLabel: "Ekonomi (Skåne)", organization: { countyCode: "12" } },
  { email: "elin.sundqvist@demo.lansstyrelsen.se", name: "Elin Sundqvist", role: "officer", roleLabel: "Handläggare (Västernorrland)", organization: { countyCode: "22" } },
  { email: "per.olofsson@demo.lansstyrelsen.se", name: "Per Olofsson", role: "decision_maker", roleLabel: "Beslutsfattare (Västernorrland)", organization: { countyCode: "22" } },
  { email: "malin.berglund@demo.lansstyrelsen.se", name: "Malin Berglund", role: "finance", roleLabel: "Ekonomi (Västernorrland)", organization: { countyCode: "22" } },
];
