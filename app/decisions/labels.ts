// Swedish words for why an application got less than it asked for
// (Decision.rejectionCategory), reported to the government per category.
import type { RejectionCategory } from "~/generated/prisma/enums";

export const REJECTION_CATEGORY_LABELS: Record<RejectionCategory, string> = {
  not_eligible: "Sökanden eller insatsen är inte stödberättigad",
  outside_priorities: "Insatsen ligger utanför utlysningens prioriteringar",
  low_ranking: "Lägre prioriterad än andra ansökningar",
  budget_exhausted: "Utlysningens medel räcker inte",
  incomplete: "Ansökan är ofullständig",
  other: "Annat skäl",
};

export const REJECTION_CATEGORIES = Object.keys(REJECTION_CATEGORY_LABELS) as [RejectionCategory, ...RejectionCategory[]];
