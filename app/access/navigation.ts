// Navigation per role: what each kind of user comes for.
import type { Role } from "~/generated/prisma/enums";

export type NavItem = { to: string; label: string };

const BY_ROLE: Record<Role, NavItem[]> = {
  applicant: [
    { to: "/utlysningar", label: "Utlysningar" },
    { to: "/ansokningar", label: "Våra ansökningar" },
    { to: "/organisation", label: "Vår organisation" },
  ],
  officer: [
    { to: "/arenden", label: "Ärenden" },
    { to: "/utlysningar", label: "Utlysningar" },
    { to: "/uppdrag", label: "Uppdrag" },
  ],
  decision_maker: [
    { to: "/beslut", label: "Att besluta" },
    { to: "/arenden", label: "Ärenden" },
    { to: "/utlysningar", label: "Utlysningar" },
  ],
  finance: [
    { to: "/ekonomi", label: "Utbetalningar" },
    { to: "/ekonomi/aterkrav", label: "Återkrav" },
    { to: "/arenden", label: "Ärenden" },
  ],
  coordinator: [
    { to: "/samordning", label: "Samordning" },
    { to: "/uppdrag", label: "Uppdrag" },
    { to: "/arenden", label: "Ärenden" },
  ],
  admin: [
    { to: "/arenden", label: "Ärenden" },
    { to: "/uppdrag", label: "Uppdrag" },
    { to: "/samordning", label: "Samordning" },
    { to: "/admin/kontroll", label: "Kontroll" },
  ],
};

export const ROLE_LABELS: Record<Role, string> = {
  applicant: "Sökande",
  officer: "Handläggare",
  decision_maker: "Beslutsfattare",
  finance: "Ekonomi",
  coordinator: "Samordnare",
  admin: "Administratör",
};

export function navigationFor(roles: Role[]): NavItem[] {
  const seen = new Map<string, NavItem>([["/", { to: "/", label: "Start" }]]);
  for (const role of roles) for (const item of BY_ROLE[role]) if (!seen.has(item.to)) seen.set(item.to, item);
  return [...seen.values()];
}
