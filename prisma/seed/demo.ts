// The demo scenario: two government assignments, six calls and some sixty
// applications spread over every state of their life cycle, in Swedish, with
// dates in 2020–2021 ("today" in the story is mid-March 2021).
//
// Everything goes through createAssignment / allocate / createCall /
// createApplicationDraft and applyWorkflowEvent, so every state, snapshot,
// audit chain and budget total is what the app itself would have written.
// Only organisations and users are inserted directly.
//
// Shape: reference tables (staff, applicant organisations, texts), the
// assignments and calls, then one table of application scenarios, each a list
// of dated steps. The steps of each call run in date order in their own lane
// (lanes run side by side: they share no row a step locks, and the
// registration counters are per board and year), so registration numbers
// follow the submission dates and the whole run is deterministic.
import type { Db } from "../../app/db.server";
import type { OrganizationKind } from "../../app/generated/prisma/enums";
import type { Principal } from "../../app/access/permissions.server";
import { hashPassword } from "../../app/auth/password.server";
import { allocate, createApplicationDraft, createAssignment, createCall, type NewCall } from "../../app/workflow/create.server";
import { applyWorkflowEvent, type EventBody } from "../../app/workflow/engine.server";
import type { EventDetails } from "../../app/workflow/effects.server";
import { reconcile } from "../../app/workflow/budget.server";
import { verifyAuditChains } from "../../app/workflow/audit.server";
import { formatKronor, kronorToOre } from "../../app/lib/money";
import { addDays, isoWeekday, plainDate, plainDateToUtcMidnight, stockholmDateTimeToUtc } from "../../app/lib/dates";
import { orgNumberFromBase } from "../../app/lib/org-number";
import { municipalities, municipalityOrgNumber } from "./reference";
import { DEMO_PASSWORD, demoStaff, demoUsers } from "./demo-users";

// ---------------------------------------------------------------------------
// Small helpers: money, dates

type Outcome = "approved" | "partly_approved" | "rejected";
type ReportKind = "interim" | "final";

const ore = (kronor: number) => kronorToOre(kronor);
const oreNum = (kronor: number) => kronor * 100;
const kr = (kronor: number) => formatKronor(ore(kronor));

/** A calendar date as a Prisma @db.Date value. */
const day = (date: string) => plainDateToUtcMidnight(plainDate(date));
/** An instant: `date` at `time`, Stockholm time. */
const at = (date: string, time = "10:00") => stockholmDateTimeToUtc(date, time);
/** `date` + `days`, moved forward to a weekday. */
function workday(date: string, days = 0): string {
  let d = addDays(plainDate(date), days);
  while (isoWeekday(d) > 5) d = addDays(d, 1);
  return d;
}

/** Splits `total` öre by percentages; the last part takes the remainder (whole hundreds of kronor before that). */
function split(total: bigint, percents: number[]): bigint[] {
  let left = total;
  return percents.map((p, i) => {
    if (i === percents.length - 1) return left;
    const part = ((total * BigInt(p)) / 100n / 10_000n) * 10_000n;
    left -= part;
    return part;
  });
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[åä]/g, "a")
    .replace(/ö/g, "o")
    .replace(/é/g, "e")
    .replace(/[^a-z0-9]/g, "");

// ---------------------------------------------------------------------------
// Staff: the demo users of demo-users.ts plus demoStaff, in named slots per board

type StaffSlot = "officer" | "officer2" | "dm" | "dm2" | "finance" | "admin" | "coordinator";
type Who = StaffSlot | "applicant";

const BOARDS = ["05", "01", "12", "22"] as const;
type Board = (typeof BOARDS)[number];

const STAFF: Record<Board, Partial<Record<StaffSlot, string>>> = {
  "05": {
    officer: "handlaggare@demo.lansstyrelsen.se",
    officer2: "johan.strand@demo.lansstyrelsen.se",
    dm: "beslutsfattare@demo.lansstyrelsen.se",
    dm2: "maria.sjoberg@demo.lansstyrelsen.se",
    finance: "ekonomi@demo.lansstyrelsen.se",
    admin: "admin@demo.lansstyrelsen.se",
  },
  "01": { officer: "karin.wik@demo.lansstyrelsen.se", dm: "lars.aberg@demo.lansstyrelsen.se", finance: "petra.nystrom@demo.lansstyrelsen.se", coordinator: "samordnare@demo.lansstyrelsen.se" },
  "12": { officer: "amira.haddad@demo.lansstyrelsen.se", dm: "lena.persson@demo.lansstyrelsen.se", finance: "nils.ekstrom@demo.lansstyrelsen.se" },
  "22": { officer: "elin.sundqvist@demo.lansstyrelsen.se", dm: "per.olofsson@demo.lansstyrelsen.se", finance: "malin.berglund@demo.lansstyrelsen.se" },
};

/** Users exist from before the story starts. */
const ACCOUNTS_CREATED = at("2020-01-13", "08:00");

// ---------------------------------------------------------------------------
// Applicant organisations

type Org = {
  key: string;
  name: string;
  kind: OrganizationKind;
  orgNumber: string;
  countyCode: string;
  municipalityCode: string | null;
  /** Where the work happens, for titles: "Norrköping". */
  place: string;
  /** The role address for contact e-mails (fictitious, demo subdomain). */
  contactEmail: string;
  contact: string;
  signatory: [name: string, title: string];
};

const FIRST = ["Anna", "Erik", "Fatima", "Lars", "Maria", "Johan", "Sara", "Ahmed", "Karin", "Mikael", "Elin", "Peter", "Leila", "Anders", "Emma", "Daniel", "Linnea", "Omar", "Ingrid", "Jonas", "Helena", "Mattias", "Nadia", "Per", "Camilla", "Stefan", "Amina", "Oskar", "Ulrika", "Henrik"];
const LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Axelsson", "Lundberg", "Sandberg", "Mohammadi", "Forsberg", "Sjögren", "Wallin", "Engström", "Eklund", "Danielsson", "Lund"];
const personName = (i: number) => `${FIRST[i % FIRST.length]} ${LAST[(i * 7 + 3) % LAST.length]}`;

const GENITIVE_EXCEPTIONS: Record<string, string> = { Göteborg: "Göteborgs Stad", Malmö: "Malmö stad", Stockholm: "Stockholms stad" };
const municipalOrgName = (m: string) => GENITIVE_EXCEPTIONS[m] ?? (/[aeiouyåäös]$/i.test(m) ? `${m} kommun` : `${m}s kommun`);

function municipalityByName(name: string) {
  const m = municipalities.find((x) => x.name === name);
  if (!m) throw new Error(`demo seed: no municipality named ${name}`);
  return m;
}

let orgCounter = 0;
function kommun(place: string): Org {
  const m = municipalityByName(place);
  const i = orgCounter++;
  return {
    key: place,
    name: municipalOrgName(place),
    kind: "municipality",
    orgNumber: municipalityOrgNumber(m.code),
    countyCode: m.countyCode,
    municipalityCode: m.code,
    place,
    contactEmail: `socialtjansten@demo.${slug(place)}.se`,
    contact: personName(i),
    signatory: [personName(i + 11), i % 2 ? "Socialchef" : "Kommundirektör"],
  };
}

function region(countyCode: string, name: string, place: string): Org {
  const i = orgCounter++;
  return {
    key: name,
    name,
    kind: "region",
    orgNumber: orgNumberFromBase(`2320000${countyCode}`),
    countyCode,
    municipalityCode: null,
    place,
    contactEmail: `folkhalsa@demo.${slug(name)}.se`,
    contact: personName(i),
    signatory: [personName(i + 11), "Hälso- och sjukvårdsdirektör"],
  };
}

/** Non-profits and foundations (organisationsnummer starting with 8), and a kommunalförbund. */
function civil(kind: "nonprofit_association" | "foundation" | "municipal_federation", name: string, where: string, serial: number): Org {
  const i = orgCounter++;
  const county = where.length === 2 ? where : municipalityByName(where).countyCode;
  const municipalityCode = where.length === 2 ? null : municipalityByName(where).code;
  return {
    key: name,
    name,
    kind,
    orgNumber: kind === "municipal_federation" ? orgNumberFromBase(`2225000${county}`) : orgNumberFromBase(`8899${String(serial).padStart(5, "0")}`),
    countyCode: county,
    municipalityCode,
    place: municipalityCode ? where : name,
    contactEmail: `kansli@demo.${slug(name)}.se`,
    contact: personName(i),
    signatory: [personName(i + 11), kind === "foundation" ? "Styrelseordförande" : kind === "municipal_federation" ? "Förbundsdirektör" : "Ordförande"],
  };
}

const ORGS: Org[] = [
  // Östergötland
  ...["Linköping", "Norrköping", "Motala", "Mjölby", "Finspång", "Söderköping", "Åtvidaberg", "Vadstena", "Boxholm", "Kinda", "Ödeshög", "Valdemarsvik"].map(kommun),
  region("05", "Region Östergötland", "Östergötland"),
  civil("nonprofit_association", "Kvinnojouren i Linköping", "Linköping", 101),
  civil("nonprofit_association", "Tjejjouren Norrköping", "Norrköping", 102),
  civil("nonprofit_association", "Föreningen Systerskap Östergötland", "Linköping", 103),
  civil("foundation", "Stiftelsen Trygg uppväxt", "Norrköping", 104),
  // the rest of the country (national development funds)
  ...["Botkyrka", "Göteborg", "Malmö", "Örebro", "Västerås", "Uppsala", "Eskilstuna", "Jönköping", "Helsingborg", "Södertälje", "Gävle", "Sundsvall", "Umeå", "Växjö", "Luleå", "Karlstad", "Trollhättan", "Borås", "Halmstad", "Kristianstad"].map(kommun),
  // Stockholms län
  ...["Huddinge", "Haninge", "Järfälla", "Sollentuna", "Nacka", "Norrtälje", "Sigtuna", "Upplands Väsby", "Österåker"].map(kommun),
  // Skåne
  civil("nonprofit_association", "Kvinnojouren Lund", "Lund", 201),
  civil("nonprofit_association", "Tjejjouren i Malmö", "Malmö", 202),
  civil("nonprofit_association", "Föreningen Fristad Skåne", "Helsingborg", 203),
  civil("foundation", "Stiftelsen Frihet att välja", "Malmö", 204),
  civil("nonprofit_association", "Mansmottagningen i Helsingborg", "Helsingborg", 205),
  civil("nonprofit_association", "Kvinnoföreningen Gemenskap i Malmö", "Malmö", 206),
  // Västernorrland
  ...["Härnösand", "Örnsköldsvik", "Kramfors", "Sollefteå"].map(kommun),
  region("22", "Region Västernorrland", "Västernorrland"),
  civil("municipal_federation", "Kommunförbundet Västernorrland", "22", 0),
];

// ---------------------------------------------------------------------------
// Texts: what the projects are about

type Theme = {
  title: string;
  description: string;
  aims: string;
  targetGroup: string;
  budget: [category: string, description: string, percent: number][];
  /** What the report says was done. */
  done: string;
};

const STAFF_LINE = (what: string): [string, string, number] => ["Personal", what, 55];

const THEMES = {
  // Hedersrelaterat våld och förtryck (assignment 1)
  hKompetens: {
    title: "Kompetenslyft om hedersrelaterat våld och förtryck i skola och socialtjänst",
    description:
      "Projektet ger lärare, elevhälsa och socialsekreterare gemensam grundutbildning om hedersrelaterat våld och förtryck, följt av fördjupning i ärendehandledning. Utbildningen bygger på nationella kompetensteamets material och genomförs tillsammans med polisen.",
    aims: "Yrkesverksamma ska känna igen tecken på hedersrelaterat våld och förtryck, veta hur en orosanmälan görs och hur risk bedöms, så att barn och unga får stöd i tid.",
    targetGroup: "Lärare, elevhälsa, fritidspersonal och socialsekreterare inom barn och unga.",
    budget: [STAFF_LINE("Processledare 50 % under projekttiden"), ["Utbildningsinsatser", "Föreläsare och kursmaterial", 30], ["Lokaler", "Lokalhyra för utbildningsdagar", 10], ["Resor", "Resor för föreläsare", 5]],
    done: "Fyra utbildningsdagar och sex handledningstillfällen har genomförts. Deltagarna har fått gemensamt material och kommunen har antagit en rutin för orosanmälan vid misstanke om hedersrelaterat våld.",
  },
  hRutiner: {
    title: "Gemensamma rutiner vid oro för hedersrelaterat våld",
    description:
      "Kommunen tar fram och förankrar gemensamma rutiner för skola, socialtjänst och polis när ett barn riskerar att utsättas för hedersrelaterat våld och förtryck, barnäktenskap eller tvångsäktenskap. Rutinerna prövas i ärendedragningar och utvärderas.",
    aims: "Tydliga ansvarsgränser och snabbare samordnade insatser när barn och unga far illa.",
    targetGroup: "Chefer och medarbetare i skola, socialtjänst och polis.",
    budget: [STAFF_LINE("Samordnare 40 %"), ["Utbildningsinsatser", "Workshoppar om rutinerna", 25], ["Material och trycksaker", "Rutinstöd och informationsblad", 10], ["Utvärdering", "Extern utvärdering", 10]],
    done: "En gemensam rutin har tagits fram och beslutats i socialnämnden och utbildningsnämnden. Rutinen har prövats i tolv ärendedragningar och reviderats efter utvärderingen.",
  },
  hSamtal: {
    title: "Samtalsgrupper för unga om rättigheter, jämställdhet och heder",
    description:
      "Högstadieelever erbjuds samtalsgrupper under ledning av utbildade samtalsledare, där rättigheter, kärlek, gränser och hedersnormer diskuteras. Grupperna följs upp med föräldraträffar.",
    aims: "Unga ska känna till sina rättigheter och var de kan få stöd, och normer som begränsar ungas liv ska kunna ifrågasättas.",
    targetGroup: "Elever i årskurs 7–9 och deras föräldrar.",
    budget: [STAFF_LINE("Samtalsledare"), ["Utbildningsinsatser", "Utbildning av samtalsledare", 20], ["Material och trycksaker", "Samtalsmaterial", 10], ["Övrigt", "Föräldraträffar med tolk", 15]],
    done: "Tjugotvå samtalsgrupper har genomförts på fem skolor. Elevenkäten visar att fler elever vet vart de kan vända sig för att få stöd.",
  },
  hForaldrar: {
    title: "Föräldrastöd i dialog om hedersnormer",
    description:
      "Föräldragrupper på flera språk där föräldrar samtalar om barns rättigheter, svensk lagstiftning och uppfostran utan våld. Grupperna leds av kulturtolkar och socialtjänstens familjebehandlare.",
    aims: "Föräldrar ska få kunskap och stöd som förebygger att barn utsätts för hedersrelaterat våld och förtryck.",
    targetGroup: "Föräldrar till barn i förskola och skola, särskilt nyanlända.",
    budget: [STAFF_LINE("Familjebehandlare och kulturtolkar"), ["Tolk och översättning", "Tolkar vid träffar", 20], ["Material och trycksaker", "Material på flera språk", 15], ["Lokaler", "Träfflokaler", 10]],
    done: "Nio föräldragrupper på fyra språk har genomförts med sammanlagt 94 deltagare. Metoden ingår nu i socialtjänstens ordinarie föräldrastöd.",
  },
  hKartlaggning: {
    title: "Kartläggning av hedersrelaterat våld och förtryck",
    description:
      "Kommunen kartlägger omfattningen av hedersrelaterat våld och förtryck bland unga genom enkät i skolan och intervjuer med yrkesverksamma, och tar utifrån resultatet fram en handlingsplan.",
    aims: "Ett kunskapsunderlag som gör det möjligt att rikta förebyggande insatser dit de behövs.",
    targetGroup: "Unga 13–20 år och yrkesverksamma som möter dem.",
    budget: [STAFF_LINE("Utredare 50 %"), ["Utvärdering", "Enkätverktyg och analys", 25], ["Utbildningsinsatser", "Återkoppling till verksamheterna", 10], ["Material och trycksaker", "Rapport", 10]],
    done: "Enkäten har besvarats av 2 300 elever och 41 yrkesverksamma har intervjuats. Rapporten och en handlingsplan har presenterats för kommunstyrelsen.",
  },
  hBarnaktenskap: {
    title: "Barnäktenskap och tvångsäktenskap: handlingsplan och utbildning",
    description:
      "En handlingsplan mot barnäktenskap och tvångsäktenskap tas fram och yrkesverksamma utbildas i hur de upptäcker och agerar, bland annat inför skollov då risken för bortgifte är större.",
    aims: "Förhindra att barn och unga gifts bort mot sin vilja, i Sverige eller utomlands.",
    targetGroup: "Elevhälsa, studie- och yrkesvägledare, socialtjänst och familjerätt.",
    budget: [STAFF_LINE("Projektledare"), ["Utbildningsinsatser", "Utbildningsdagar", 25], ["Material och trycksaker", "Handlingsplan och stödmaterial", 10], ["Resor", "Studiebesök", 10]],
    done: "Handlingsplanen är antagen. 180 yrkesverksamma har utbildats och skolorna har en rutin inför sommarlovet.",
  },
  hKonsstympning: {
    title: "Könsstympning av flickor och kvinnor: kunskapshöjning i hälso- och sjukvården",
    description:
      "Barnmorskor, skolsköterskor och läkare utbildas i att upptäcka och bemöta flickor och kvinnor som utsatts för eller riskerar könsstympning, och vårdens rutiner för anmälan och stöd ses över.",
    aims: "Flickor och kvinnor ska få rätt vård och stöd, och fler fall av risk ska upptäckas tidigt.",
    targetGroup: "Barnmorskor, skolsköterskor, gynekologer och barnläkare.",
    budget: [STAFF_LINE("Projektledare och utbildare"), ["Utbildningsinsatser", "Utbildningsdagar och webbkurs", 25], ["Material och trycksaker", "Patientinformation på flera språk", 10], ["Resor", "Resor inom regionen", 10]],
    done: "Sex utbildningstillfällen och en webbkurs har nått 240 medarbetare. En regional rutin för anmälan och stöd har beslutats.",
  },
  hSommarlov: {
    title: "Trygg sommar: rutiner mot bortgifte under skollov",
    description:
      "Skolorna får en rutin för att uppmärksamma elever som riskerar att föras utomlands under sommarlovet och för samverkan med socialtjänst och polis. Eleverna får information om var de kan få hjälp.",
    aims: "Ingen elev ska gifta bort eller lämnas kvar utomlands mot sin vilja under skollov.",
    targetGroup: "Elever, elevhälsa och rektorer i grundskola och gymnasieskola.",
    budget: [STAFF_LINE("Samordnare"), ["Utbildningsinsatser", "Utbildning för rektorer och elevhälsa", 25], ["Material och trycksaker", "Informationsmaterial till elever", 15], ["Övrigt", "Kommunikation", 5]],
    done: "Rutinen har införts på samtliga grundskolor och gymnasieskolor. Inför sommarlovet fick alla elever i årskurs 6–9 information om stödtelefon och skolkurator.",
  },
  hSkyddat: {
    title: "Stöd till unga i skyddat boende: utveckling av arbetssätt",
    description:
      "Stiftelsen utvecklar ett arbetssätt för stöd till unga som placerats i skyddat boende på grund av hedersrelaterat våld, med fokus på skolgång, fritid och vägen till eget boende.",
    aims: "Unga i skyddat boende ska få en trygg och stabil vardag och stöd till ett självständigt liv.",
    targetGroup: "Unga 16–25 år i skyddat boende.",
    budget: [STAFF_LINE("Stödpersoner"), ["Utbildningsinsatser", "Metodutveckling och handledning", 20], ["Övrigt", "Aktiviteter och praktiskt stöd", 15], ["Utvärdering", "Dokumentation och utvärdering", 10]],
    done: "Arbetssättet har prövats med 14 unga. En metodbeskrivning har tagits fram och spridits till kommunerna i länet.",
  },
  hStodgrupp: {
    title: "Stödgrupper för unga kvinnor som lever med hedersnormer",
    description:
      "Föreningen driver stödgrupper och erbjuder enskilda samtal för unga kvinnor som lever med begränsningar kopplade till heder, i samverkan med skolkuratorer och socialtjänst.",
    aims: "Unga kvinnor ska få stöd, nätverk och kunskap om sina rättigheter.",
    targetGroup: "Unga kvinnor 15–25 år.",
    budget: [STAFF_LINE("Gruppledare"), ["Lokaler", "Gruppträffar", 15], ["Utbildningsinsatser", "Utbildning av volontärer", 20], ["Övrigt", "Aktiviteter", 10]],
    done: "Fem stödgrupper med sammanlagt 38 deltagare har genomförts och 60 enskilda samtal har hållits.",
  },
  // Mäns våld mot kvinnor (assignment 2)
  kSkola: {
    title: "Tidiga insatser mot våld i ungas nära relationer",
    description:
      "Skolorna arbetar förebyggande mot våld i ungas nära relationer med lektionsmaterial om relationer, samtycke och gränser, och elevhälsan får stöd i att upptäcka och agera när en elev är utsatt.",
    aims: "Färre unga ska utsättas för eller utöva våld i nära relationer, och de som utsätts ska få stöd tidigt.",
    targetGroup: "Elever i årskurs 7–9 och gymnasiet, elevhälsa och lärare.",
    budget: [STAFF_LINE("Projektledare"), ["Utbildningsinsatser", "Utbildning av lärare och elevhälsa", 25], ["Material och trycksaker", "Lektionsmaterial", 10], ["Lokaler", "Lokaler för utbildningsdagar", 10]],
    done: "Lektionsmaterialet används på sju skolor och elevhälsan har utbildats. Samarbetet med ungdomsmottagningen har formaliserats.",
  },
  kBarn: {
    title: "Stöd till barn som har upplevt våld: gruppverksamhet",
    description:
      "Socialtjänsten startar gruppverksamhet för barn som har upplevt våld i familjen, med parallella samtal för den förälder som utsatts, enligt en beprövad gruppmodell.",
    aims: "Barn som har upplevt våld ska få bearbeta sina upplevelser och få ord för dem, och föräldern ska få stöd i sitt föräldraskap.",
    targetGroup: "Barn 6–15 år som har upplevt våld och deras våldsutsatta föräldrar.",
    budget: [STAFF_LINE("Gruppledare"), ["Utbildningsinsatser", "Utbildning i gruppmodellen", 20], ["Lokaler", "Grupplokal", 10], ["Övrigt", "Material och fika", 15]],
    done: "Fyra barngrupper och parallella föräldragrupper har genomförts med 29 barn. Verksamheten fortsätter inom ordinarie budget.",
  },
  kAldre: {
    title: "Våld mot äldre kvinnor: kompetensutveckling i hemtjänst och äldreomsorg",
    description:
      "Medarbetare i hemtjänst och särskilt boende utbildas i att upptäcka våld mot äldre kvinnor och i hur de ska agera, och en rutin för samverkan med socialtjänstens våldsteam tas fram.",
    aims: "Våld mot äldre kvinnor ska upptäckas och de utsatta få stöd.",
    targetGroup: "Undersköterskor, biståndshandläggare och enhetschefer i äldreomsorgen.",
    budget: [STAFF_LINE("Utbildare"), ["Utbildningsinsatser", "Utbildningstimmar och vikarier", 30], ["Material och trycksaker", "Rutinstöd", 10], ["Resor", "Resor till arbetsplatser", 5]],
    done: "320 medarbetare i äldreomsorgen har utbildats och en rutin för samverkan med våldsteamet har införts.",
  },
  kMvp: {
    title: "Mentorer i våldsprevention i högstadiet",
    description:
      "Skolorna inför det våldsförebyggande programmet Mentorer i våldsprevention (MVP), där äldre elever leder samtal med yngre om våld, normer och hur man kan agera som åskådare.",
    aims: "Förändra normer som ursäktar våld och ge unga verktyg att säga ifrån.",
    targetGroup: "Elever i årskurs 7–9 och gymnasiet, skolpersonal.",
    budget: [STAFF_LINE("Processledare"), ["Utbildningsinsatser", "Instruktörsutbildning", 25], ["Material och trycksaker", "Programmaterial", 10], ["Resor", "Nätverksträffar", 10]],
    done: "Tolv instruktörer har utbildats och programmet har genomförts i 24 klasser.",
  },
  kFraga: {
    title: "Fråga om våld: rutinmässiga frågor om våldsutsatthet",
    description:
      "Socialtjänst och hälso- och sjukvård inför rutinmässiga frågor om våldsutsatthet, med utbildning, samtalsstöd och en tydlig väg vidare till stöd och skydd.",
    aims: "Fler våldsutsatta ska upptäckas och få stöd i ett tidigt skede.",
    targetGroup: "Handläggare inom försörjningsstöd, missbruksvård och barn och unga, samt vårdpersonal.",
    budget: [STAFF_LINE("Projektledare"), ["Utbildningsinsatser", "Utbildning och handledning", 25], ["Material och trycksaker", "Samtalsstöd", 10], ["Utvärdering", "Uppföljning", 10]],
    done: "Frågor om våld ställs nu rutinmässigt i fyra verksamheter. Antalet ärenden där våld identifierats har ökat markant.",
  },
  kSamordning: {
    title: "Kvinnofridssamordning: gemensam väg in för våldsutsatta",
    description:
      "En samordnad väg in för våldsutsatta kvinnor och deras barn byggs upp tillsammans med hälso- och sjukvården, polisen och ideella kvinnojourer, med gemensamma rutiner och kontaktpersoner.",
    aims: "Våldsutsatta ska få samordnat stöd utan att behöva berätta sin historia många gånger.",
    targetGroup: "Våldsutsatta kvinnor och deras barn, yrkesverksamma i berörda verksamheter.",
    budget: [STAFF_LINE("Kvinnofridssamordnare"), ["Utbildningsinsatser", "Gemensamma utbildningsdagar", 20], ["Material och trycksaker", "Information till allmänheten", 10], ["Övrigt", "Nätverksträffar", 15]],
    done: "En gemensam väg in har införts med kontaktpersoner i alla verksamheter, och samverkansavtal har tecknats med polisen och kvinnojouren.",
  },
  kStod: {
    title: "Stöd och skydd för våldsutsatta kvinnor med särskilda behov",
    description:
      "Jouren utvecklar stödet till våldsutsatta kvinnor med funktionsnedsättning eller missbruk, med anpassad information, tillgängligt skyddat boende och samverkan med kommunens stöd.",
    aims: "Kvinnor med särskilda behov ska få samma möjlighet till stöd och skydd som andra.",
    targetGroup: "Våldsutsatta kvinnor med funktionsnedsättning eller missbruk.",
    budget: [STAFF_LINE("Stödsamtal och jourverksamhet"), ["Lokaler", "Tillgänglighetsanpassning", 15], ["Utbildningsinsatser", "Utbildning av volontärer", 15], ["Övrigt", "Tolk och teckenspråkstolk", 15]],
    done: "Jouren har gett stöd till 46 kvinnor och 21 barn, tagit fram lättläst information och utbildat 18 volontärer.",
  },
  kTjej: {
    title: "Chatt och stödgrupper för unga tjejer som utsatts för våld",
    description:
      "Tjejjouren utökar sin stödchatt och startar stödgrupper för tjejer som utsatts för våld i nära relationer eller sexuellt våld.",
    aims: "Unga tjejer ska få stöd anonymt och snabbt, och kunna slussas vidare till rätt hjälp.",
    targetGroup: "Tjejer och unga transpersoner 12–25 år.",
    budget: [STAFF_LINE("Samordnare för chatten"), ["Utbildningsinsatser", "Utbildning av volontärer", 20], ["Övrigt", "Teknik för chatten", 15], ["Lokaler", "Gruppträffar", 10]],
    done: "Chatten har haft öppet fem kvällar i veckan och besvarat 1 150 samtal. Tre stödgrupper har genomförts.",
  },
  kMan: {
    title: "Behandling för män som utövar våld i nära relationer",
    description:
      "Mansmottagningen utökar sitt behandlingsprogram för män som utövar våld i nära relationer och utvecklar samverkan med socialtjänsten och frivården.",
    aims: "Minska återfall i våld och därmed antalet kvinnor och barn som utsätts.",
    targetGroup: "Män som utövar våld i nära relationer.",
    budget: [STAFF_LINE("Behandlare"), ["Utbildningsinsatser", "Handledning", 20], ["Lokaler", "Mottagningslokal", 15], ["Utvärdering", "Uppföljning", 10]],
    done: "31 män har påbörjat och 19 har fullföljt behandlingen. Samverkansrutiner med socialtjänsten och frivården har tagits fram.",
  },
} satisfies Record<string, Theme>;
type ThemeKey = keyof typeof THEMES;

const REASONS: Record<Outcome, string[]> = {
  approved: [
    "Ansökan uppfyller utlysningens krav. Insatsen är väl förankrad i en beskriven behovsanalys och bygger på samverkan mellan flera verksamheter. Budgeten är rimlig i förhållande till planerade aktiviteter.",
    "Länsstyrelsen bedömer att projektet har goda förutsättningar att nå sina mål och att det bidrar till utlysningens prioriteringar. Kostnaderna är väl specificerade.",
    "Projektet ligger väl i linje med utlysningens syfte och har en tydlig plan för hur arbetet ska leva vidare efter projekttiden.",
  ],
  partly_approved: [
    "Projektets huvudsakliga insatser bedöms väl motiverade, men kostnaderna för extern konsult och material är inte tillräckligt specificerade och ryms inte i bidraget.",
    "Länsstyrelsen bedömer att projektet är angeläget men att delar av budgeten avser ordinarie verksamhet, som inte kan finansieras med utvecklingsmedel.",
  ],
  rejected: [
    "Ansökan avslås. Projektet bedöms inte i tillräcklig grad bidra till utlysningens syfte, och behovsanalysen är för allmänt hållen. Konkurrensen om medlen har varit stor.",
    "Ansökan avslås. Insatsen avser i huvudsak ordinarie verksamhet och uppfyller därför inte villkoren för utvecklingsmedel.",
    "Ansökan avslås. Andra ansökningar har bedömts bidra mer till utlysningens prioriteringar, och medlen räcker inte till samtliga.",
  ],
};

const SUMMARIES: Record<Outcome, string> = {
  approved: "Väl genomarbetad ansökan med tydlig behovsanalys, konkreta mål och en rimlig budget. Föreslås beviljas i sin helhet.",
  partly_approved: "Angelägen insats, men budgeten innehåller poster som inte är stödberättigande. Föreslås beviljas med ett lägre belopp.",
  rejected: "Ansökan uppfyller inte utlysningens prioriteringar i tillräcklig grad. Föreslås avslås.",
};

// ---------------------------------------------------------------------------
// Assignments, allocations and calls

const NO_APPEAL = (ordinance: string) => `Beslutet kan inte överklagas enligt 12 § ${ordinance}.`;
const APPEAL_TO_COURT = (court: string, board: string) =>
  `Beslutet kan överklagas hos ${court}. Överklagandet ska vara skriftligt och ha kommit in till ${board} inom tre veckor från den dag ni fick del av beslutet. Ange vilket beslut ni överklagar (diarienummer), hur ni vill att beslutet ska ändras och varför.`;

type AssignmentKey = "hrv" | "mvk";

const ASSIGNMENTS: Record<AssignmentKey, {
  by: [Board, StaffSlot];
  createdOn: string;
  reference: string;
  title: string;
  description: string;
  fundingReference: string;
  periodStart: string;
  periodEnd: string;
  totalKr: number;
  responsible: Board;
  coordinating: Board;
  reportDueOn: string;
  allocations: [county: string, kronor: number][];
  reportingOn?: string;
}> = {
  hrv: {
    by: ["05", "admin"],
    createdOn: "2020-01-20",
    reference: "HRV-2020",
    title: "Stärka arbetet mot hedersrelaterat våld och förtryck 2020",
    description:
      "Länsstyrelsen Östergötland får under 2020 använda 20 000 000 kronor för att bidra till att stärka statliga och kommunala verksamheters förmåga att förebygga och bekämpa hedersrelaterat våld och förtryck, barnäktenskap, tvångsäktenskap samt könsstympning av kvinnor och flickor. " +
      "Länsstyrelsen Östergötland leder det nationella kompetensteamet mot hedersrelaterat våld och förtryck och ansvarar för samordningen och redovisningen av uppdraget. Medlen fördelas som nationella utvecklingsmedel och till länsstyrelser för regionala insatser. " +
      "(Demodata: hänvisningen till regleringsbrevet är ett exempel.)",
    fundingReference: "Regleringsbrev för budgetåret 2020 avseende länsstyrelserna, uppdrag 3 (exempel)",
    periodStart: "2020-01-01",
    periodEnd: "2020-12-31",
    totalKr: 20_000_000,
    responsible: "05",
    coordinating: "05",
    reportDueOn: "2021-03-31",
    allocations: [["05", 8_000_000], ["01", 4_000_000], ["12", 3_000_000], ["22", 2_000_000], ["14", 2_000_000]],
    reportingOn: "2021-02-01",
  },
  mvk: {
    by: ["01", "officer"],
    createdOn: "2020-02-10",
    reference: "MVK-2020-2021",
    title: "Stöd till samordning av insatser som syftar till att motverka mäns våld mot kvinnor 2020–2021",
    description:
      "Länsstyrelserna ska stödja samordning av insatser som syftar till att motverka mäns våld mot kvinnor och våld i nära relationer, stödja lokal och regional verksamhetsutveckling och bidra med kompetens- och implementeringsstöd till kommuner, regioner och organisationer inom det civila samhället. Verkningsfullt våldsförebyggande arbete prioriteras. " +
      "Länsstyrelsen i Stockholms län samordnar redovisningen av länsstyrelsernas gemensamma uppdrag. (Demodata: hänvisningen till regleringsbrevet och beloppet är exempel.)",
    fundingReference: "Regleringsbrev för budgetåren 2020 och 2021 avseende länsstyrelserna (exempel)",
    periodStart: "2020-01-01",
    periodEnd: "2021-12-31",
    totalKr: 12_000_000,
    responsible: "01",
    coordinating: "01",
    reportDueOn: "2022-02-28",
    allocations: [["01", 3_500_000], ["05", 3_000_000], ["12", 2_000_000], ["22", 1_500_000]],
  },
};

type CallKey = "c1" | "c2" | "c3" | "c4" | "c5" | "c6";

type CallSpec = {
  assignment: AssignmentKey;
  board: Board;
  createdOn: string;
  publishOn?: string;
  closeOn?: string;
  decidedOn?: string;
  terms: NewCall;
  /** The regular round: assessment starts, presentations, the decision day, payment. */
  round?: { start: string; present: string; decide: string; attest: string; paid: string };
};

const DATES_2020 = { start: "2020-06-01", end: "2020-12-31" };

const CALLS: Record<CallKey, CallSpec> = {
  c1: {
    assignment: "hrv",
    board: "05",
    createdOn: "2020-02-03",
    publishOn: "2020-02-05",
    closeOn: "2020-04-01",
    decidedOn: "2020-05-20",
    round: { start: "2020-04-06", present: "2020-04-27", decide: "2020-05-14", attest: "2020-05-19", paid: "2020-05-22" },
    terms: {
      title: "Nationella utvecklingsmedel 2020 mot hedersrelaterat våld och förtryck",
      description:
        "Länsstyrelsen Östergötland fördelar inom ramen för det nationella uppdraget utvecklingsmedel till insatser som stärker förmågan att förebygga och bekämpa hedersrelaterat våld och förtryck, barnäktenskap, tvångsäktenskap och könsstympning av flickor och kvinnor. " +
        "Kommuner, regioner, kommunalförbund, ideella föreningar och stiftelser kan söka. Insatsen ska genomföras under 2020. Kommuner och regioner ska medfinansiera minst hälften av projektets kostnader.",
      priorities: "Insatser i skolan och socialtjänsten, samverkan mellan myndigheter, förebyggande arbete inför skollov, kunskap om könsstympning i hälso- och sjukvården.",
      budgetOre: ore(7_500_000),
      opensAt: at("2020-02-10", "08:00"),
      closesAt: at("2020-03-31", "23:59"),
      eligibleKinds: ["municipality", "region", "municipal_federation", "nonprofit_association", "foundation"],
      cofundingRules: { municipality: 50, region: 50, municipal_federation: 50, nonprofit_association: 100, foundation: 100 },
      maxAmountOre: ore(600_000),
      maxProjectMonths: 12,
      finalReportDueOn: day("2021-01-31"),
      paymentTerms: { instalments: [{ sharePercent: 100, trigger: "at_start" }] },
      appealNotice: NO_APPEAL("förordningen om statsbidrag för utvecklingsmedel mot hedersrelaterat våld och förtryck (exempeltext)"),
      criteria: [
        { name: "Behov och problemanalys", description: "Behovet är beskrivet med stöd av kartläggning eller erfarenheter från verksamheten.", weight: 30 },
        { name: "Förebyggande inriktning", description: "Insatsen förebygger våld och förtryck och upptäcker utsatthet tidigt.", weight: 25 },
        { name: "Samverkan", description: "Insatsen bygger på samverkan mellan skola, socialtjänst, hälso- och sjukvård, polis och civilsamhälle.", weight: 25 },
        { name: "Genomförbarhet och budget", description: "Realistisk tidsplan och en budget som står i proportion till insatserna.", weight: 20 },
      ],
      indicators: [
        { name: "Antal utbildade yrkesverksamma", unit: "personer" },
        { name: "Antal deltagande skolor", unit: "skolor" },
        { name: "Antal framtagna eller reviderade rutiner", unit: "st" },
      ],
    },
  },
  c2: {
    assignment: "mvk",
    board: "05",
    createdOn: "2021-01-05",
    publishOn: "2021-01-08",
    terms: {
      title: "Våldsförebyggande arbete i Östergötland 2021",
      description:
        "Länsstyrelsen Östergötland utlyser utvecklingsmedel för våldsförebyggande arbete och stöd till våldsutsatta kvinnor och barn i länet. Ansökningar handläggs löpande under ansökningsperioden. " +
        "Beviljade medel ska rekvireras inom 60 dagar från beslutet. En delredovisning lämnas senast den 30 september 2021 och en slutredovisning senast den 31 januari 2022. Beslut om mer än 300 000 kr fattas av två beslutsfattare.",
      priorities: "Verkningsfullt våldsförebyggande arbete, barn som har upplevt våld, våld mot äldre kvinnor, kvinnor med särskilda behov.",
      budgetOre: ore(2_000_000),
      opensAt: at("2021-01-11", "09:00"),
      closesAt: at("2021-03-31", "23:59"),
      eligibleKinds: ["municipality", "region", "nonprofit_association", "foundation"],
      cofundingRules: { municipality: 50, region: 50, nonprofit_association: 100, foundation: 100 },
      maxAmountOre: ore(500_000),
      maxProjectMonths: 12,
      interimReportRequired: true,
      interimReportDueOn: day("2021-09-30"),
      finalReportDueOn: day("2022-01-31"),
      paymentTerms: { instalments: [{ sharePercent: 100, trigger: "at_start" }] },
      paymentRequestRequired: true,
      paymentRequestDays: 60,
      secondDecisionMakerAboveOre: ore(300_000),
      appealNotice: APPEAL_TO_COURT("Förvaltningsrätten i Linköping", "Länsstyrelsen Östergötland"),
      criteria: [
        { name: "Våldsförebyggande inriktning", description: "Insatsen bygger på kunskap om vad som förebygger våld.", weight: 35 },
        { name: "Målgruppens behov", description: "Målgruppen och dess behov är tydligt beskrivna.", weight: 25 },
        { name: "Samverkan och långsiktighet", description: "Insatsen görs i samverkan och har en plan för att leva vidare.", weight: 25 },
        { name: "Budget", description: "Kostnaderna är rimliga och stödberättigande.", weight: 15 },
      ],
      indicators: [
        { name: "Antal utbildade yrkesverksamma", unit: "personer" },
        { name: "Antal nådda barn och unga", unit: "personer" },
        { name: "Antal deltagande skolor", unit: "skolor" },
      ],
    },
  },
  c3: {
    assignment: "mvk",
    board: "01",
    createdOn: "2020-02-24",
    publishOn: "2020-02-26",
    closeOn: "2020-05-04",
    round: { start: "2020-05-11", present: "2020-05-25", decide: "2020-06-10", attest: "", paid: "" },
    terms: {
      title: "Kvinnofrid i Stockholms län 2020: samordning och våldsförebyggande arbete",
      description:
        "Länsstyrelsen i Stockholms län fördelar utvecklingsmedel till kommuner och kommunalförbund i länet för samordning av insatser mot mäns våld mot kvinnor och för våldsförebyggande arbete. " +
        "Bidraget betalas ut när slutredovisningen har godkänts. Kommunen ska själv finansiera minst hälften av projektets kostnader.",
      priorities: "Barn som bevittnar eller utsätts för våld, att utreda och identifiera våldsutsatthet, våld mot äldre kvinnor, nätverk för kommunala kvinnofridssamordnare.",
      budgetOre: ore(2_500_000),
      opensAt: at("2020-03-02", "08:00"),
      closesAt: at("2020-04-30", "23:59"),
      eligibleKinds: ["municipality", "municipal_federation"],
      cofundingRules: { municipality: 50, municipal_federation: 50 },
      maxAmountOre: ore(400_000),
      finalReportDueOn: day("2021-01-31"),
      paymentTerms: { instalments: [{ sharePercent: 100, trigger: "after_final_report" }] },
      appealNotice: APPEAL_TO_COURT("Förvaltningsrätten i Stockholm", "Länsstyrelsen i Stockholms län"),
      criteria: [
        { name: "Samordning", description: "Insatsen stärker samordningen mellan verksamheter.", weight: 40 },
        { name: "Kunskapsbaserat arbetssätt", description: "Insatsen bygger på beprövade metoder.", weight: 35 },
        { name: "Budget", description: "Rimliga och stödberättigande kostnader.", weight: 25 },
      ],
      indicators: [
        { name: "Antal utbildade yrkesverksamma", unit: "personer" },
        { name: "Antal verksamheter som infört rutin för frågor om våld", unit: "st" },
      ],
    },
  },
  c4: {
    assignment: "mvk",
    board: "12",
    createdOn: "2020-03-09",
    publishOn: "2020-03-11",
    closeOn: "2020-05-18",
    decidedOn: "2020-06-22",
    round: { start: "2020-05-25", present: "2020-06-08", decide: "2020-06-17", attest: "2020-06-22", paid: "2020-06-26" },
    terms: {
      title: "Idéburna organisationers arbete mot mäns våld mot kvinnor i Skåne 2020",
      description:
        "Länsstyrelsen Skåne fördelar utvecklingsmedel till ideella föreningar och stiftelser som ger stöd och skydd till våldsutsatta kvinnor och barn eller arbetar våldsförebyggande. " +
        "Hälften av bidraget betalas ut vid projektstart och resten när slutredovisningen har godkänts.",
      priorities: "Kvinnor med särskilda behov, unga tjejer, arbete med våldsutövare.",
      budgetOre: ore(1_200_000),
      opensAt: at("2020-03-16", "08:00"),
      closesAt: at("2020-05-15", "23:59"),
      eligibleKinds: ["nonprofit_association", "foundation"],
      cofundingRules: { nonprofit_association: 100, foundation: 100 },
      maxAmountOre: ore(300_000),
      finalReportDueOn: day("2021-02-28"),
      paymentTerms: { instalments: [{ sharePercent: 50, trigger: "at_start" }, { sharePercent: 50, trigger: "after_final_report" }] },
      appealNotice: APPEAL_TO_COURT("Förvaltningsrätten i Malmö", "Länsstyrelsen Skåne"),
      criteria: [
        { name: "Stödets kvalitet", description: "Stödet är kvalitetssäkrat och utgår från de utsattas behov.", weight: 40 },
        { name: "Målgrupp", description: "Insatsen når grupper som annars har svårt att få stöd.", weight: 35 },
        { name: "Budget", description: "Rimliga och stödberättigande kostnader.", weight: 25 },
      ],
      indicators: [
        { name: "Antal kvinnor som fått stöd", unit: "personer" },
        { name: "Antal barn som fått stöd", unit: "personer" },
        { name: "Antal utbildade volontärer", unit: "personer" },
      ],
    },
  },
  c5: {
    assignment: "mvk",
    board: "22",
    createdOn: "2020-08-10",
    publishOn: "2020-08-12",
    closeOn: "2020-10-01",
    decidedOn: "2020-11-09",
    round: { start: "2020-10-05", present: "2020-10-19", decide: "2020-11-05", attest: "2020-11-10", paid: "2020-11-13" },
    terms: {
      title: "Samverkan mot våld i nära relationer i Västernorrland 2020–2021",
      description:
        "Länsstyrelsen Västernorrland fördelar utvecklingsmedel till kommuner, regionen och kommunalförbund för insatser som genomför länsstrategin mot våld i nära relationer. " +
        "Projekten pågår från november 2020 till juni 2021. En delredovisning lämnas senast den 31 januari 2021.",
      priorities: "Myndighetsgemensam kompetensutveckling, samverkan mellan kommunerna i länet, våldsutsatta i glesbygd.",
      budgetOre: ore(1_000_000),
      opensAt: at("2020-08-17", "08:00"),
      closesAt: at("2020-09-30", "23:59"),
      eligibleKinds: ["municipality", "region", "municipal_federation"],
      cofundingRules: { municipality: 50, region: 50, municipal_federation: 50 },
      interimReportRequired: true,
      interimReportDueOn: day("2021-01-31"),
      finalReportDueOn: day("2021-08-31"),
      paymentTerms: { instalments: [{ sharePercent: 100, trigger: "at_start" }] },
      appealNotice: "Beslutet kan inte överklagas. Länsstyrelsen kan ompröva beslutet om det är uppenbart oriktigt.",
      criteria: [
        { name: "Koppling till länsstrategin", description: "Insatsen genomför länsstrategin mot våld i nära relationer.", weight: 40 },
        { name: "Samverkan i länet", description: "Flera kommuner eller myndigheter deltar.", weight: 35 },
        { name: "Budget", description: "Rimliga och stödberättigande kostnader.", weight: 25 },
      ],
      indicators: [
        { name: "Antal utbildade yrkesverksamma", unit: "personer" },
        { name: "Antal deltagande kommuner", unit: "st" },
      ],
    },
  },
  c6: {
    assignment: "mvk",
    board: "05",
    createdOn: "2021-03-10",
    terms: {
      title: "Stöd till insatser mot våld mot äldre kvinnor 2021",
      description:
        "Utkast. Länsstyrelsen Östergötland planerar att utlysa utvecklingsmedel för insatser som upptäcker och förebygger våld mot äldre kvinnor, i hemtjänst, äldreboenden och hälso- och sjukvård.",
      priorities: "Kompetensutveckling i äldreomsorgen, samverkan mellan äldreomsorg och socialtjänstens våldsteam.",
      budgetOre: ore(500_000),
      opensAt: at("2021-04-12", "08:00"),
      closesAt: at("2021-05-31", "23:59"),
      eligibleKinds: ["municipality", "region", "nonprofit_association"],
      cofundingRules: { municipality: 50, region: 50, nonprofit_association: 100 },
      maxAmountOre: ore(150_000),
      finalReportDueOn: day("2022-03-31"),
      paymentTerms: { instalments: [{ sharePercent: 100, trigger: "at_start" }] },
      appealNotice: APPEAL_TO_COURT("Förvaltningsrätten i Linköping", "Länsstyrelsen Östergötland"),
      criteria: [
        { name: "Behov", description: "Behovet i målgruppen är beskrivet.", weight: 50 },
        { name: "Genomförbarhet", description: "Realistisk plan och budget.", weight: 50 },
      ],
      indicators: [{ name: "Antal utbildade medarbetare i äldreomsorgen", unit: "personer" }],
    },
  },
};

/** The project period applied for, per call. */
const PROJECT_PERIOD: Record<CallKey, { start: string; end: string }> = {
  c1: DATES_2020,
  c2: { start: "2021-04-01", end: "2021-12-31" },
  c3: DATES_2020,
  c4: DATES_2020,
  c5: { start: "2020-11-16", end: "2021-06-30" },
  c6: { start: "2021-06-01", end: "2022-02-28" },
};

// ---------------------------------------------------------------------------
// Application scenarios: steps

type Action =
  | { do: "submit" }
  | { do: "start" }
  | { do: "askCompletion"; message: string; dueOn: string }
  | { do: "complete"; message: string }
  | { do: "resume" }
  | { do: "present"; rec: Outcome; kronor?: number }
  | { do: "returnToAssessment"; reasons: string }
  | { do: "decide"; outcome: Outcome; kronor?: number; reasons?: string }
  | { do: "confirm" }
  | { do: "changeDecision"; type: "CORRECT_DECISION" | "RECONSIDER_DECISION"; outcome: Outcome; kronor?: number; reasons: string; conditions?: string }
  | { do: "conflict"; reason: string }
  | { do: "withdraw"; reasons: string }
  | { do: "report"; kind: ReportKind; unusedKronor?: number }
  | { do: "askReport"; kind: ReportKind; message: string }
  | { do: "approveReport"; kind: ReportKind; unusedKronor?: number }
  | { do: "proposeReclaim"; ground: "wrong_information" | "paid_wrongly_or_too_much" | "not_used_for_purpose" | "conditions_not_followed" | "no_report"; kronor: number; reasons: string }
  | { do: "decideReclaim"; kronor: number; dueOn: string; reasons: string }
  | { do: "rejectReclaim"; reasons: string }
  | { do: "waive"; kronor: number; reasons: string }
  | { do: "repaid"; kronor: number }
  | { do: "closeCase" }
  | { do: "requestPayment"; n: number }
  | { do: "attest"; n: number }
  | { do: "paid"; n: number }
  | { do: "cancelPayment"; n: number; reasons: string };

type Step = Action & { on: string; by?: Who };

/** Who does a step when the scenario does not say: the applicant, the case officer, the decision maker or finance. */
function defaultActor(a: Action["do"]): "applicant" | "handler" | "decider" | "finance" {
  switch (a) {
    case "submit":
    case "complete":
    case "withdraw":
    case "report":
    case "requestPayment":
      return "applicant";
    case "decide":
    case "changeDecision":
    case "returnToAssessment":
    case "decideReclaim":
    case "rejectReclaim":
    case "waive":
    case "confirm":
      return "decider";
    case "attest":
    case "paid":
    case "repaid":
      return "finance";
    default:
      return "handler";
  }
}

// Step constructors, so the scenario table reads like a case history.
const submit = (on: string): Step => ({ on, do: "submit" });
const start = (on: string, by?: Who): Step => ({ on, by, do: "start" });
const askCompletion = (on: string, dueOn: string, message: string): Step => ({ on, do: "askCompletion", dueOn, message });
const complete = (on: string, message: string): Step => ({ on, do: "complete", message });
const resume = (on: string): Step => ({ on, do: "resume" });
const present = (on: string, rec: Outcome, kronor?: number, by?: Who): Step => ({ on, by, do: "present", rec, kronor });
const decide = (on: string, outcome: Outcome, kronor?: number, by?: Who): Step => ({ on, by, do: "decide", outcome, kronor });
const confirm = (on: string, by: Who): Step => ({ on, by, do: "confirm" });
const withdraw = (on: string, reasons: string): Step => ({ on, do: "withdraw", reasons });
const report = (on: string, kind: ReportKind, unusedKronor?: number): Step => ({ on, do: "report", kind, unusedKronor });
const askReport = (on: string, kind: ReportKind, message: string): Step => ({ on, do: "askReport", kind, message });
const approveReport = (on: string, kind: ReportKind, unusedKronor?: number): Step => ({ on, do: "approveReport", kind, unusedKronor });
const decideReclaim = (on: string, kronor: number, dueOn: string, reasons: string): Step => ({ on, do: "decideReclaim", kronor, dueOn, reasons });
const waive = (on: string, kronor: number, reasons: string): Step => ({ on, do: "waive", kronor, reasons });
const repaid = (on: string, kronor: number): Step => ({ on, do: "repaid", kronor });
const closeCase = (on: string, by?: Who): Step => ({ on, by, do: "closeCase" });
const requestPayment = (on: string, n = 1): Step => ({ on, do: "requestPayment", n });
const attest = (on: string, n = 1): Step => ({ on, do: "attest", n });
const paid = (on: string, n = 1): Step => ({ on, do: "paid", n });
const final = (submittedOn: string, approvedOn: string): Step[] => [report(submittedOn, "final"), approveReport(approvedOn, "final")];

type Scenario = {
  call: CallKey;
  org: string;
  theme: ThemeKey;
  kronor: number;
  draftOn: string;
  steps: Step[];
  /** Case officer: "officer" (the demo officer at Östergötland) unless said otherwise. */
  handler?: StaffSlot;
  decider?: StaffSlot;
};

let scenarioIndex = 0;
/**
 * The call's regular round for one application: submitted, assessment started,
 * presented and decided on the call's decision day (start and presentation
 * dates spread over the weeks before), paid out where the decision is a grant
 * and the call pays at start without a payment request.
 */
function round(call: CallKey, submittedOn: string, outcome: Outcome, kronor?: number, o: { presenter?: Who; decider?: Who; pay?: boolean } = {}): Step[] {
  const r = CALLS[call].round;
  if (!r) throw new Error(`demo seed: call ${call} has no regular round`);
  const i = scenarioIndex;
  const steps: Step[] = [
    submit(submittedOn),
    start(workday(r.start, i % 8), o.presenter),
    present(workday(r.present, i % 7), outcome, kronor, o.presenter),
    decide(r.decide, outcome, kronor, o.decider),
  ];
  const paysAtStart = (CALLS[call].terms.paymentTerms?.instalments[0]?.trigger ?? "at_start") === "at_start";
  if (outcome !== "rejected" && paysAtStart && o.pay !== false) steps.push(attest(r.attest), paid(r.paid));
  return steps;
}

/** One application: who applies for what, and its history. `steps` is a thunk so that `round` sees this scenario's index. */
function app(call: CallKey, org: string, theme: ThemeKey, kronor: number, draftOn: string, steps: () => Step[], o: { handler?: StaffSlot; decider?: StaffSlot } = {}): Scenario {
  const s = { call, org, theme, kronor, draftOn, steps: steps(), ...o };
  scenarioIndex++;
  return s;
}

const PANDEMIC = "På grund av covid-19-pandemin kunde delar av utbildningsinsatserna inte genomföras som planerat";

// ---------------------------------------------------------------------------
// The scenario table

const SCENARIOS: Scenario[] = [
  // --- c1: national development funds 2020, Östergötland (decided). Final reports were due 2021-01-31.
  app("c1", "Norrköping", "hKompetens", 450_000, "2020-02-18", () => [...round("c1", "2020-03-12", "approved", undefined, { presenter: "officer2" }), ...final("2021-01-28", "2021-02-15")], { handler: "officer2" }),
  app("c1", "Botkyrka", "hSamtal", 600_000, "2020-02-24", () => [...round("c1", "2020-03-20", "partly_approved", 400_000, { presenter: "officer2" }), ...final("2021-01-27", "2021-02-16")], { handler: "officer2" }),
  app("c1", "Göteborg", "hRutiner", 580_000, "2020-03-02", () => [
    ...round("c1", "2020-03-25", "approved"),
    report("2021-01-29", "final", 62_000),
    approveReport("2021-03-11", "final", 62_000), // → reclaim proposed, waiting for the decision maker
  ]),
  app("c1", "Malmö", "hForaldrar", 500_000, "2020-03-09", () => [
    ...round("c1", "2020-03-30", "approved", undefined, { presenter: "officer2" }),
    report("2021-01-26", "final", 45_000),
    approveReport("2021-02-09", "final", 45_000),
    decideReclaim("2021-02-23", 45_000, "2021-03-31", "Enligt slutredovisningen har 45 000 kr inte använts. Outnyttjade medel ska betalas tillbaka enligt villkoren i beslutet."),
  ], { handler: "officer2" }),
  app("c1", "Örebro", "hKartlaggning", 400_000, "2020-02-20", () => [
    ...round("c1", "2020-03-16", "approved"),
    report("2021-01-22", "final", 80_000),
    approveReport("2021-02-03", "final", 80_000),
    decideReclaim("2021-02-10", 80_000, "2021-03-12", "Enligt slutredovisningen har 80 000 kr inte använts för projektet. Outnyttjade medel ska betalas tillbaka."),
    waive("2021-02-24", 30_000, `${PANDEMIC}, och kommunen har visat att 30 000 kr avser kostnader för inställda utbildningsdagar som inte gick att avboka. Länsstyrelsen finner särskilda skäl att efterge den delen av återkravet.`),
    repaid("2021-03-05", 50_000),
    closeCase("2021-03-08", "finance"),
  ]),
  app("c1", "Västerås", "hBarnaktenskap", 350_000, "2020-02-25", () => [
    ...round("c1", "2020-03-19", "approved", undefined, { presenter: "officer2" }),
    report("2021-01-29", "final", 40_000),
    approveReport("2021-02-12", "final", 40_000),
    decideReclaim("2021-02-19", 40_000, "2021-03-22", "Outnyttjade medel enligt slutredovisningen ska betalas tillbaka."),
    waive("2021-03-10", 15_000, `${PANDEMIC}. Avbokningskostnader om 15 000 kr efterges; resterande 25 000 kr ska betalas tillbaka.`),
  ], { handler: "officer2" }),
  app("c1", "Uppsala", "hSommarlov", 300_000, "2020-03-03", () => [
    ...round("c1", "2020-03-23", "approved"),
    report("2021-01-25", "final", 20_000),
    approveReport("2021-02-08", "final", 20_000),
    decideReclaim("2021-02-15", 20_000, "2021-03-15", "Outnyttjade medel enligt slutredovisningen ska betalas tillbaka."),
    repaid("2021-03-12", 20_000),
  ]),
  app("c1", "Eskilstuna", "hSamtal", 250_000, "2020-03-05", () => [
    ...round("c1", "2020-03-26", "approved", undefined, { presenter: "officer2" }),
    report("2021-01-29", "final", 30_000),
    approveReport("2021-02-11", "final", 30_000),
    decideReclaim("2021-02-18", 30_000, "2021-03-19", "Outnyttjade medel enligt slutredovisningen ska betalas tillbaka."),
    waive("2021-03-04", 30_000, "Kommunen har visat att kostnaderna uppstod under projekttiden men fakturerades först i januari 2021 och därför inte kom med i slutredovisningen. Länsstyrelsen efterger hela återkravet."),
  ], { handler: "officer2" }),
  app("c1", "Jönköping", "hKompetens", 450_000, "2020-03-10", () => round("c1", "2020-03-27", "rejected")),
  app("c1", "Helsingborg", "hRutiner", 300_000, "2020-03-16", () => round("c1", "2020-03-31", "rejected", undefined, { presenter: "officer2" }), { handler: "officer2" }),
  app("c1", "Region Östergötland", "hKonsstympning", 600_000, "2020-02-27", () => [
    ...round("c1", "2020-03-24", "approved", undefined, { presenter: "officer2" }),
    report("2021-01-29", "final"),
    askReport("2021-02-12", "final", "Redovisningen saknar resultat för indikatorerna och en specifikation av personalkostnaderna. Komplettera senast den 12 mars 2021."),
  ], { handler: "officer2" }),
  app("c1", "Södertälje", "hForaldrar", 500_000, "2020-02-28", () => [...round("c1", "2020-03-17", "partly_approved", 350_000), report("2021-02-01", "final")]),
  app("c1", "Gävle", "hBarnaktenskap", 280_000, "2020-02-19", () => [
    ...round("c1", "2020-03-10", "approved"),
    report("2021-01-28", "final"),
    askReport("2021-02-09", "final", "Bifoga utdrag ur huvudboken som visar projektets kostnader."),
    report("2021-03-02", "final"),
  ]),
  app("c1", "Sundsvall", "hSommarlov", 320_000, "2020-02-17", () => round("c1", "2020-03-05", "approved", undefined, { presenter: "officer2" }), { handler: "officer2" }),
  app("c1", "Umeå", "hKartlaggning", 200_000, "2020-02-26", () => [
    submit("2020-03-13"),
    start("2020-04-07"),
    withdraw("2020-04-20", "Kommunen har fått finansiering för kartläggningen genom ett forskningsprojekt vid universitetet och återkallar ansökan."),
  ]),
  app("c1", "Växjö", "hKompetens", 380_000, "2020-03-04", () => [
    ...round("c1", "2020-03-18", "approved", undefined, { pay: false }),
    {
      on: "2020-05-19",
      do: "changeDecision",
      type: "CORRECT_DECISION",
      outcome: "approved",
      kronor: 380_000,
      reasons: "Rättelse av skrivfel: i beslutet angavs att slutredovisningen ska lämnas senast den 31 december 2020. Rätt datum enligt utlysningen är den 31 januari 2021. Beslutet i övrigt är oförändrat.",
      conditions: "Bidraget får användas under 2020 för de insatser som beskrivs i ansökan. Slutredovisning ska lämnas senast den 31 januari 2021. Medel som inte har använts ska betalas tillbaka.",
    },
    attest("2020-05-25"),
    paid("2020-05-28"),
    ...final("2021-01-27", "2021-02-10"),
  ]),
  app("c1", "Luleå", "hSamtal", 420_000, "2020-02-21", () => [...round("c1", "2020-03-04", "approved"), ...final("2021-01-20", "2021-02-02")]),
  app("c1", "Karlstad", "hForaldrar", 250_000, "2020-03-18", () => round("c1", "2020-03-31", "rejected")),
  app("c1", "Trollhättan", "hRutiner", 360_000, "2020-02-24", () => [...round("c1", "2020-03-09", "approved", undefined, { presenter: "officer2" }), ...final("2021-01-26", "2021-02-04")], { handler: "officer2" }),
  app("c1", "Föreningen Systerskap Östergötland", "hStodgrupp", 200_000, "2020-03-02", () => [...round("c1", "2020-03-20", "approved"), ...final("2021-01-21", "2021-02-01")]),
  app("c1", "Stiftelsen Trygg uppväxt", "hSkyddat", 450_000, "2020-03-11", () => [
    ...round("c1", "2020-03-27", "partly_approved", 300_000),
    {
      on: "2020-11-16",
      do: "proposeReclaim",
      ground: "conditions_not_followed",
      kronor: 120_000,
      reasons: "Stiftelsen har inte lämnat den lägesrapport som villkoren i beslutet kräver, och enligt uppgift har verksamheten med stödpersoner upphört i oktober 2020.",
    },
    { on: "2020-12-03", do: "rejectReclaim", reasons: "Stiftelsen har kommit in med lägesrapporten och visat att verksamheten återupptogs i november 2020 med nya stödpersoner. Det finns inte skäl för återkrav." },
    ...final("2021-01-29", "2021-02-17"),
  ]),
  app("c1", "Borås", "hKartlaggning", 400_000, "2020-02-27", () => [
    submit("2020-03-11"),
    start("2020-04-08", "officer2"),
    present("2020-04-29", "approved", undefined, "officer2"),
    { on: "2020-05-04", by: "dm", do: "conflict", reason: "Beslutsfattarens make är enhetschef inom socialtjänsten i Borås kommun och ingår i projektets styrgrupp." },
    decide("2020-05-14", "approved", undefined, "dm2"),
    attest("2020-05-19"),
    paid("2020-05-22"),
    ...final("2021-01-28", "2021-02-15"),
  ], { handler: "officer2", decider: "dm2" }),
  app("c1", "Halmstad", "hSommarlov", 150_000, "2020-03-23", () => [
    submit("2020-03-31"),
    start("2020-04-08"),
    askCompletion("2020-04-14", "2020-04-28", "Ansökan saknar en budget per kostnadsslag och uppgift om medfinansiering. Komplettera senast den 28 april 2020."),
    resume("2020-05-04"),
    present("2020-05-05", "rejected"),
    decide("2020-05-14", "rejected"),
  ]),
  app("c1", "Kristianstad", "hBarnaktenskap", 300_000, "2020-03-12", () => [
    submit("2020-03-26"),
    start("2020-04-09"),
    present("2020-04-29", "approved"),
    { on: "2020-05-07", do: "returnToAssessment", reasons: "Föredragningen saknar en bedömning av hur kommunen medfinansierar projektet. Bedöm också om kostnaden för studiebesök är stödberättigande." },
    present("2020-05-11", "partly_approved", 200_000),
    decide("2020-05-14", "partly_approved", 200_000),
    attest("2020-05-19"),
    paid("2020-05-22"),
    ...final("2021-01-25", "2021-02-05"),
  ]),

  // --- c2: Östergötland 2021 (published, handled as applications come in). Payment must be requested within 60 days.
  app("c2", "Linköping", "kSkola", 280_000, "2021-01-18", () => [submit("2021-01-25"), start("2021-01-28"), present("2021-02-15", "approved"), decide("2021-03-01", "approved")]),
  app("c2", "Linköping", "kBarn", 150_000, "2021-02-10", () => [
    submit("2021-02-22"),
    start("2021-03-02"),
    askCompletion("2021-03-08", "2021-03-29", "Beskriv hur många barn ni räknar med att nå och hur barnen rekryteras till grupperna. Specificera också kostnaden för grupplokalen."),
  ]),
  app("c2", "Linköping", "kAldre", 120_000, "2021-03-10", () => []),
  app("c2", "Norrköping", "kMvp", 350_000, "2021-01-14", () => [
    submit("2021-01-20"),
    start("2021-01-22", "officer2"),
    present("2021-02-10", "approved", undefined, "officer2"),
    decide("2021-02-18", "approved", undefined, "dm2"),
    confirm("2021-02-22", "dm"),
    requestPayment("2021-03-01"),
    attest("2021-03-04"),
  ], { handler: "officer2" }),
  app("c2", "Kvinnojouren i Linköping", "kStod", 420_000, "2021-01-27", () => [
    submit("2021-02-01"),
    start("2021-02-03", "officer2"),
    present("2021-03-08", "approved", undefined, "officer2"),
    decide("2021-03-11", "approved", undefined, "dm2"), // waits for a second decision maker
  ], { handler: "officer2" }),
  app("c2", "Motala", "kFraga", 240_000, "2021-02-01", () => [submit("2021-02-05"), start("2021-02-09", "officer2"), present("2021-03-09", "approved", undefined, "officer2")], { handler: "officer2" }),
  app("c2", "Region Östergötland", "kSamordning", 500_000, "2021-02-04", () => [submit("2021-02-12"), start("2021-02-16", "officer2"), present("2021-03-10", "partly_approved", 350_000, "officer2")], { handler: "officer2" }),
  app("c2", "Mjölby", "kAldre", 180_000, "2021-02-08", () => [submit("2021-02-15"), start("2021-02-17", "officer2"), present("2021-03-11", "rejected", undefined, "officer2")], { handler: "officer2" }),
  app("c2", "Finspång", "kMvp", 200_000, "2021-02-11", () => [submit("2021-02-19"), start("2021-02-24")]),
  app("c2", "Söderköping", "kBarn", 160_000, "2021-02-22", () => [
    submit("2021-03-01"),
    start("2021-03-03"),
    askCompletion("2021-03-04", "2021-03-18", "Bifoga socialnämndens beslut om medfinansiering."),
    complete("2021-03-12", "Socialnämndens protokollsutdrag om medfinansiering bifogas."),
  ]),
  app("c2", "Åtvidaberg", "kFraga", 130_000, "2021-03-02", () => [submit("2021-03-10")]),
  app("c2", "Vadstena", "kSkola", 90_000, "2021-03-04", () => [submit("2021-03-12")]),
  app("c2", "Tjejjouren Norrköping", "kTjej", 220_000, "2021-01-19", () => [
    submit("2021-01-26"),
    start("2021-01-28", "officer2"),
    present("2021-02-16", "approved", undefined, "officer2"),
    decide("2021-02-25", "approved"),
    requestPayment("2021-03-08"),
  ], { handler: "officer2" }),
  app("c2", "Boxholm", "kSamordning", 100_000, "2021-01-29", () => [submit("2021-02-03"), start("2021-02-08"), present("2021-02-17", "rejected"), decide("2021-02-25", "rejected")]),
  app("c2", "Kinda", "kAldre", 90_000, "2021-03-12", () => []),
  app("c2", "Ödeshög", "kSkola", 110_000, "2021-02-02", () => [
    submit("2021-02-08"),
    withdraw("2021-02-15", "Kommunen samordnar i stället insatsen med Mjölby kommun och återkallar ansökan."),
  ]),
  app("c2", "Valdemarsvik", "kFraga", 110_000, "2021-01-15", () => [
    submit("2021-01-21"),
    start("2021-01-25", "officer2"),
    present("2021-02-12", "approved", undefined, "officer2"),
    decide("2021-02-25", "approved"),
    requestPayment("2021-03-01"),
    attest("2021-03-03"),
    paid("2021-03-08"),
  ], { handler: "officer2" }),

  // --- c3: Stockholms län 2020 (closed). Paid after the final report has been approved.
  app("c3", "Huddinge", "kSamordning", 400_000, "2020-03-30", () => [...round("c3", "2020-04-14", "approved"), ...final("2021-01-25", "2021-02-08"), attest("2021-02-10"), paid("2021-02-15")]),
  app("c3", "Haninge", "kFraga", 350_000, "2020-04-06", () => [...round("c3", "2020-04-21", "partly_approved", 300_000), ...final("2021-01-28", "2021-02-10"), attest("2021-02-12"), paid("2021-02-17")]),
  app("c3", "Järfälla", "kMvp", 300_000, "2020-04-09", () => [...round("c3", "2020-04-27", "approved"), report("2021-02-01", "final")]),
  app("c3", "Sollentuna", "kAldre", 250_000, "2020-04-14", () => [
    ...round("c3", "2020-04-24", "rejected"),
    {
      on: "2020-07-01",
      do: "changeDecision",
      type: "RECONSIDER_DECISION",
      outcome: "partly_approved",
      kronor: 200_000,
      reasons: "Omprövning på begäran av kommunen. Kommunen har visat att äldrenämnden beslutat om medfinansiering före ansökningstidens slut, vilket inte framgick av ansökan. Projektet uppfyller därmed villkoren; kostnaden för extern utvärdering är inte stödberättigande.",
      conditions: "Bidraget får användas under 2020 för utbildning i äldreomsorgen enligt ansökan. Bidraget betalas ut när slutredovisningen har godkänts.",
    },
    ...final("2021-01-29", "2021-02-12"),
    attest("2021-02-15"),
    paid("2021-02-19"),
  ]),
  app("c3", "Nacka", "kBarn", 280_000, "2020-04-20", () => round("c3", "2020-04-29", "rejected")),
  app("c3", "Norrtälje", "kSkola", 300_000, "2020-04-02", () => [
    submit("2020-04-16"),
    start("2020-05-12"),
    askCompletion("2020-05-14", "2020-05-28", "Ansökan saknar underskrift av behörig företrädare och uppgift om medfinansiering."),
    withdraw("2020-05-20", "Kommunen hinner inte genomföra projektet under 2020 och återkallar ansökan."),
  ]),
  app("c3", "Sigtuna", "kSamordning", 320_000, "2020-04-23", () => [
    ...round("c3", "2020-04-30", "approved"),
    report("2021-01-29", "final"),
    askReport("2021-02-11", "final", "Redovisningen av kostnaderna per budgetpost stämmer inte med bifogat utdrag ur huvudboken. Rätta och skicka in redovisningen igen."),
  ]),
  app("c3", "Upplands Väsby", "kFraga", 200_000, "2020-03-25", () => round("c3", "2020-04-08", "rejected")),
  app("c3", "Österåker", "kAldre", 150_000, "2020-04-07", () => [...round("c3", "2020-04-20", "approved"), ...final("2021-01-22", "2021-02-03"), attest("2021-02-05"), paid("2021-02-10")]),

  // --- c4: Skåne 2020, non-profits (decided). Half at start, half after the final report.
  app("c4", "Kvinnojouren Lund", "kStod", 250_000, "2020-04-06", () => [...round("c4", "2020-04-20", "approved"), ...final("2021-02-19", "2021-03-05"), attest("2021-03-08", 2), paid("2021-03-12", 2)]),
  app("c4", "Tjejjouren i Malmö", "kTjej", 200_000, "2020-04-22", () => [...round("c4", "2020-05-04", "partly_approved", 150_000), report("2021-02-26", "final")]),
  app("c4", "Föreningen Fristad Skåne", "kStod", 300_000, "2020-04-30", () => round("c4", "2020-05-12", "approved")),
  app("c4", "Stiftelsen Frihet att välja", "hStodgrupp", 180_000, "2020-05-04", () => round("c4", "2020-05-14", "rejected")),
  app("c4", "Mansmottagningen i Helsingborg", "kMan", 220_000, "2020-04-14", () => [
    ...round("c4", "2020-04-28", "approved"),
    { on: "2020-12-14", do: "cancelPayment", n: 2, reasons: "Utbetalningen stoppas: granskningen visar att en del av bidraget har använts för ordinarie verksamhet." },
    {
      on: "2020-12-14",
      do: "proposeReclaim",
      ground: "not_used_for_purpose",
      kronor: 40_000,
      reasons: "Enligt föreningens ekonomiska lägesrapport har 40 000 kr av bidraget använts för hyra av föreningens ordinarie lokaler, vilket inte är en kostnad för projektet.",
    },
    decideReclaim("2021-01-11", 40_000, "2021-02-10", "Bidraget har till 40 000 kr inte använts för det ändamål som det beviljats för. Beloppet ska betalas tillbaka."),
    repaid("2021-02-05", 40_000),
    closeCase("2021-02-08"),
  ]),
  app("c4", "Kvinnoföreningen Gemenskap i Malmö", "kStod", 120_000, "2020-04-27", () => [...round("c4", "2020-05-08", "approved"), ...final("2021-02-15", "2021-03-01"), attest("2021-03-04", 2)]),

  // --- c5: Västernorrland 2020–2021 (decided). Interim reports were due 2021-01-31.
  app("c5", "Härnösand", "kSamordning", 250_000, "2020-09-01", () => [...round("c5", "2020-09-14", "approved"), report("2021-01-28", "interim"), approveReport("2021-02-10", "interim")]),
  app("c5", "Örnsköldsvik", "kFraga", 200_000, "2020-09-08", () => [...round("c5", "2020-09-21", "approved"), report("2021-01-29", "interim")]),
  app("c5", "Kramfors", "kAldre", 150_000, "2020-09-10", () => [
    ...round("c5", "2020-09-24", "approved"),
    report("2021-01-27", "interim"),
    askReport("2021-02-12", "interim", "Delredovisningen saknar en beskrivning av vilka verksamheter som har deltagit i utbildningen."),
  ]),
  app("c5", "Region Västernorrland", "kSamordning", 300_000, "2020-09-15", () => [
    ...round("c5", "2020-09-28", "partly_approved", 220_000),
    report("2021-01-29", "interim"),
    askReport("2021-02-09", "interim", "Ange resultat för indikatorn Antal deltagande kommuner."),
    report("2021-03-01", "interim"),
  ]),
  app("c5", "Kommunförbundet Västernorrland", "kMvp", 180_000, "2020-09-16", () => round("c5", "2020-09-29", "rejected")),
  app("c5", "Sollefteå", "kBarn", 120_000, "2020-09-11", () => round("c5", "2020-09-25", "approved")),
];

// ---------------------------------------------------------------------------
// Running the story

type Lane = { name: string; entries: { at: Date; run: () => Promise<void> }[] };

type World = {
  db: Db;
  staff: Record<Board, Partial<Record<StaffSlot, Principal>>>;
  applicants: Map<string, Principal>;
  orgs: Map<string, { id: string; spec: Org }>;
  boards: Record<string, string>;
  assignments: Record<AssignmentKey, string>;
  allocations: Map<string, string>;
  calls: Record<CallKey, { id: string; criteria: string[]; indicators: { id: string; name: string }[] }>;
};

function staffOf(w: World, board: Board, slot: StaffSlot): Principal {
  const p = w.staff[board][slot];
  if (!p) throw new Error(`demo seed: no ${slot} at board ${board}`);
  return p;
}

async function createPeople(db: Db, passwordHash: string) {
  const boards = Object.fromEntries(
    (await db.organization.findMany({ where: { kind: "county_board" }, select: { id: true, countyCode: true } })).map((b) => [b.countyCode!, b.id]),
  ) as Record<string, string>;

  // Applicant organisations: upsert by organisationsnummer, so a database where someone already added one still seeds.
  const orgs = new Map<string, { id: string; spec: Org }>();
  for (const spec of ORGS) {
    const data = { name: spec.name, kind: spec.kind, countyCode: spec.countyCode, municipalityCode: spec.municipalityCode, email: spec.contactEmail, createdAt: ACCOUNTS_CREATED };
    const row = await db.organization.upsert({ where: { orgNumber: spec.orgNumber }, create: { ...data, orgNumber: spec.orgNumber }, update: {} });
    orgs.set(spec.key, { id: row.id, spec });
  }

  const createUser = async (email: string, name: string, memberships: Principal["memberships"]): Promise<Principal> => {
    const user = await db.user.create({
      data: { email: email.toLowerCase(), name, passwordHash, createdAt: ACCOUNTS_CREATED, memberships: { create: memberships.map((m) => ({ ...m, createdAt: ACCOUNTS_CREATED })) } },
    });
    return { id: user.id, memberships };
  };

  const staff = Object.fromEntries(BOARDS.map((b) => [b, {}])) as World["staff"];
  const applicants = new Map<string, Principal>();
  for (const u of [...demoUsers, ...demoStaff]) {
    const { countyCode, municipalityCode } = u.organization;
    if (municipalityCode) {
      const org = [...orgs.values()].find((o) => o.spec.kind === "municipality" && o.spec.municipalityCode === municipalityCode);
      if (!org) throw new Error(`demo seed: no applicant organisation for municipality ${municipalityCode}`);
      applicants.set(org.spec.key, await createUser(u.email, u.name, [{ organizationId: org.id, role: u.role }]));
      continue;
    }
    const board = countyCode as Board;
    const principal = await createUser(u.email, u.name, [{ organizationId: boards[board], role: u.role }]);
    const slot = (Object.entries(STAFF[board] ?? {}) as [StaffSlot, string][]).find(([, email]) => email === u.email)?.[0];
    if (!slot) throw new Error(`demo seed: ${u.email} has no slot in STAFF`);
    staff[board][slot] = principal;
  }
  // One applicant user per other applicant organisation: the contact person.
  for (const { id, spec } of orgs.values()) {
    if (applicants.has(spec.key)) continue;
    const [first, ...rest] = spec.contact.split(" ");
    const email = `${slug(first)}.${slug(rest.join(""))}@${spec.contactEmail.split("@")[1]}`;
    applicants.set(spec.key, await createUser(email, spec.contact, [{ organizationId: id, role: "applicant" }]));
  }
  return { boards, orgs, staff, applicants };
}

async function createAssignmentsAndCalls(w: World) {
  for (const [key, a] of Object.entries(ASSIGNMENTS) as [AssignmentKey, (typeof ASSIGNMENTS)[AssignmentKey]][]) {
    const actor = staffOf(w, a.by[0], a.by[1]);
    const now = at(a.createdOn, "09:00");
    const row = await createAssignment(
      w.db,
      actor,
      {
        reference: a.reference,
        title: a.title,
        description: a.description,
        issuer: "Regeringen",
        fundingReference: a.fundingReference,
        appropriation: "3:1",
        appropriationItem: "ap.1",
        appropriationName: "Särskilda jämställdhetsåtgärder",
        periodStart: day(a.periodStart),
        periodEnd: day(a.periodEnd),
        totalOre: ore(a.totalKr),
        responsibleBoardId: w.boards[a.responsible],
        coordinatingBoardId: w.boards[a.coordinating],
        reportDueOn: day(a.reportDueOn),
      },
      now,
    );
    w.assignments[key] = row.id;
    await applyWorkflowEvent(w.db, actor, "assignment", row.id, { type: "ACTIVATE" }, { now: at(a.createdOn, "09:30") });
    for (const [county, kronor] of a.allocations) {
      const allocation = await allocate(w.db, actor, row.id, w.boards[county], ore(kronor), at(workday(a.createdOn, 4), "11:00"));
      w.allocations.set(`${key}/${county}`, allocation.id);
    }
  }
  for (const [key, c] of Object.entries(CALLS) as [CallKey, CallSpec][]) {
    const officer = staffOf(w, c.board, "officer");
    const allocationId = w.allocations.get(`${c.assignment}/${c.board}`);
    if (!allocationId) throw new Error(`demo seed: no allocation for call ${key}`);
    const row = await createCall(w.db, officer, allocationId, c.terms, at(c.createdOn, "13:00"));
    const [criteria, indicators] = await Promise.all([
      w.db.callCriterion.findMany({ where: { callId: row.id }, orderBy: { position: "asc" }, select: { id: true } }),
      w.db.callIndicator.findMany({ where: { callId: row.id }, orderBy: { position: "asc" }, select: { id: true, name: true } }),
    ]);
    w.calls[key] = { id: row.id, criteria: criteria.map((x) => x.id), indicators };
    if (c.publishOn) await applyWorkflowEvent(w.db, officer, "call", row.id, { type: "PUBLISH" }, { now: at(c.publishOn, "09:00") });
  }
  // The coordinating board starts compiling assignment 1's report to the government.
  const hrv = ASSIGNMENTS.hrv;
  if (hrv.reportingOn) await applyWorkflowEvent(w.db, staffOf(w, hrv.responsible, "officer"), "assignment", w.assignments.hrv, { type: "START_REPORTING" }, { now: at(hrv.reportingOn, "09:00") });
}

/** One application's life, as timeline entries in its call's lane. */
function scenarioEntries(w: World, s: Scenario, index: number): Lane["entries"] {
  const call = CALLS[s.call];
  const board = call.board;
  const org = w.orgs.get(s.org);
  if (!org) throw new Error(`demo seed: unknown organisation ${s.org}`);
  const applicant = w.applicants.get(s.org)!;
  const handler = s.handler ?? "officer";
  const decider = s.decider ?? "dm";
  const theme = THEMES[s.theme];
  const requested = ore(s.kronor);
  let applicationId = "";

  const actorFor = (step: Step): Principal => {
    const who = step.by ?? ((d) => (d === "handler" ? handler : d === "decider" ? decider : d))(defaultActor(step.do));
    return who === "applicant" ? applicant : staffOf(w, board, who);
  };
  const grantOf = () => w.db.grant.findUniqueOrThrow({ where: { applicationId }, include: { application: { select: { registrationNumber: true } } } });
  const send = (step: Step, now: Date, body: EventBody, details?: EventDetails) => applyWorkflowEvent(w.db, actorFor(step), "application", applicationId, body, { now, details });
  const sendDisbursement = async (step: Step & { n: number }, now: Date, body: EventBody, details?: EventDetails) => {
    const d = await w.db.disbursement.findFirstOrThrow({ where: { grant: { applicationId }, number: step.n } });
    return applyWorkflowEvent(w.db, actorFor(step), "disbursement", d.id, body, { now, details });
  };

  const entries: Lane["entries"] = [];
  // Times of day: spread over the office hours, later steps on the same day later.
  const baseMinutes = 8 * 60 + 40 + (index % 9) * 13;
  let lastDate = "";
  let sameDay = 0;
  const timeOn = (date: string) => {
    if (date < lastDate) throw new Error(`demo seed: steps of ${s.org}/${s.call} go back in time at ${date}`);
    sameDay = date === lastDate ? sameDay + 1 : 0;
    lastDate = date;
    const m = baseMinutes + sameDay * 47;
    return at(date, `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`);
  };

  const draftAt = timeOn(s.draftOn);
  entries.push({
    at: draftAt,
    run: async () => {
      const period = PROJECT_PERIOD[s.call];
      const lines = split(requested, theme.budget.map((b) => b[2]));
      const rule = (call.terms.cofundingRules ?? {})[org.spec.kind] ?? 100;
      const draft = await createApplicationDraft(
        w.db,
        applicant,
        w.calls[s.call].id,
        org.id,
        {
          title: `${theme.title} – ${org.spec.place}`,
          description: theme.description,
          aims: theme.aims,
          targetGroup: theme.targetGroup,
          projectStart: day(period.start),
          projectEnd: day(period.end),
          countyCodes: [org.spec.countyCode],
          requestedOre: requested,
          cofundingOre: rule < 100 ? (requested * BigInt(100 - rule)) / BigInt(rule) : 0n,
          otherPublicFunding: index % 4 === 1 ? "Har sökt medel från Brottsofferfonden för en del av föräldraträffarna; besked väntas." : "Inga andra offentliga medel har sökts eller beviljats för samma insats.",
          contactName: org.spec.contact,
          contactEmail: org.spec.contactEmail,
          contactPhone: `070-174 06 ${String(10 + (index % 89)).padStart(2, "0")}`,
          signatoryName: org.spec.signatory[0],
          signatoryTitle: org.spec.signatory[1],
          declaresNoTaxDebts: true,
          declaresNotInLiquidation: true,
          budgetLines: theme.budget.map(([category, description], i) => ({ category, description, amountOre: lines[i] })),
        },
        draftAt,
      );
      applicationId = draft.id;
    },
  });

  for (const step of s.steps) {
    const now = timeOn(step.on);
    entries.push({ at: now, run: () => perform(step, now) });
  }
  return entries;

  async function perform(step: Step, now: Date): Promise<void> {
    switch (step.do) {
      case "submit":
        await send(step, now, { type: "SUBMIT", requestedOre: Number(requested) });
        return;
      case "start":
        await send(step, now, { type: "START_ASSESSMENT" });
        return;
      case "askCompletion":
        await send(step, now, { type: "REQUEST_COMPLETION", message: step.message, deadline: step.dueOn });
        return;
      case "complete":
        await send(step, now, { type: "COMPLETE", message: step.message });
        return;
      case "resume":
        await send(step, now, { type: "RESUME_ASSESSMENT" });
        return;
      case "present": {
        const amount = step.rec === "rejected" ? undefined : oreNum(step.kronor ?? s.kronor);
        const score = step.rec === "approved" ? 4 : step.rec === "partly_approved" ? 3 : 2;
        await send(
          step,
          now,
          { type: "PRESENT", recommendation: step.rec, ...(amount === undefined ? {} : { proposedGrantOre: amount }) },
          { summary: SUMMARIES[step.rec], scores: w.calls[s.call].criteria.map((criterionId, i) => ({ criterionId, score: Math.min(5, score + ((index + i) % 3 === 0 ? 1 : 0)) })) },
        );
        return;
      }
      case "returnToAssessment":
        await send(step, now, { type: "RETURN_TO_ASSESSMENT", reasons: step.reasons });
        return;
      case "decide": {
        const granted = step.outcome === "rejected" ? 0 : oreNum(step.kronor ?? s.kronor);
        const variants = REASONS[step.outcome];
        const reasons =
          step.reasons ??
          (step.outcome === "partly_approved"
            ? `Länsstyrelsen beviljar ${kr(step.kronor!)} av sökta ${kr(s.kronor)}. ${variants[index % variants.length]}`
            : variants[index % variants.length]);
        await send(step, now, { type: "DECIDE", outcome: step.outcome, grantedOre: granted, reasons }, step.outcome === "rejected" ? {} : { conditions: conditionsFor(s.call) });
        return;
      }
      case "confirm":
        await send(step, now, { type: "CONFIRM_DECISION" });
        return;
      case "changeDecision": {
        const granted = step.outcome === "rejected" ? 0 : oreNum(step.kronor ?? s.kronor);
        await send(step, now, { type: step.type, outcome: step.outcome, grantedOre: granted, reasons: step.reasons }, { conditions: step.conditions ?? conditionsFor(s.call) });
        return;
      }
      case "conflict":
        await send(step, now, { type: "DECLARE_CONFLICT_OF_INTEREST" }, { conflictReason: step.reason });
        return;
      case "withdraw":
        await send(step, now, { type: "WITHDRAW", reasons: step.reasons });
        return;
      case "report": {
        const grant = await grantOf();
        const unused = ore(step.unusedKronor ?? 0);
        // An interim report covers roughly the first half; a final report the whole grant.
        const used = step.kind === "interim" ? (grant.amountOre * 45n) / 100n / 100n * 100n : grant.amountOre - unused;
        const budgetLines = await w.db.budgetLine.findMany({ where: { applicationId }, orderBy: { position: "asc" } });
        const parts = split(used, budgetLines.map((b) => Number((b.amountOre * 100n) / requested)));
        const results = w.calls[s.call].indicators.map(({ id, name }) => ({ indicatorId: id, value: String(indicatorValue(name, Number(used / 100n), index)) }));
        const summary = step.kind === "interim" ? `Delredovisning: arbetet har kommit igång enligt plan. ${theme.done.split(". ")[0]}.` : theme.done + (unused > 0n ? ` ${PANDEMIC}, och ${kr(Number(unused / 100n))} har därför inte använts.` : "");
        await send(
          step,
          now,
          { type: "SUBMIT_REPORT", kind: step.kind, ...(step.kind === "final" ? { unusedOre: Number(unused) } : {}) },
          { usedOre: used, activitySummary: summary, reportLines: budgetLines.map((b, i) => ({ budgetLineId: b.id, category: b.category, usedOre: parts[i] })), results },
        );
        return;
      }
      case "askReport":
        await send(step, now, { type: "REQUEST_REPORT_COMPLETION", kind: step.kind, message: step.message });
        return;
      case "approveReport":
        await send(step, now, { type: "APPROVE_REPORT", kind: step.kind, ...(step.unusedKronor ? { unusedOre: oreNum(step.unusedKronor) } : {}) });
        return;
      case "proposeReclaim":
        await send(step, now, { type: "PROPOSE_RECLAIM", ground: step.ground, amountOre: oreNum(step.kronor), reasons: step.reasons });
        return;
      case "decideReclaim":
        await send(step, now, { type: "DECIDE_RECLAIM", amountOre: oreNum(step.kronor), dueDate: step.dueOn, reasons: step.reasons });
        return;
      case "rejectReclaim":
        await send(step, now, { type: "REJECT_RECLAIM", reasons: step.reasons });
        return;
      case "waive":
        await send(step, now, { type: "WAIVE", waivedOre: oreNum(step.kronor), reasons: step.reasons });
        return;
      case "repaid": {
        const grant = await grantOf();
        await send(step, now, { type: "MARK_REPAID", amountOre: oreNum(step.kronor), paidOn: step.on, paymentReference: grant.application.registrationNumber ?? applicationId });
        return;
      }
      case "closeCase":
        await send(step, now, { type: "CLOSE_CASE" });
        return;
      case "requestPayment":
        await sendDisbursement(step, now, { type: "REQUEST_PAYMENT" }, { bankAccount: `Bankgiro 000-${String(1000 + index).padStart(4, "0")} (exempel)` });
        return;
      case "attest":
        await sendDisbursement(step, now, { type: "ATTEST" });
        return;
      case "paid": {
        const grant = await grantOf();
        await sendDisbursement(step, now, { type: "MARK_PAID", paidOn: step.on, paymentReference: `${grant.application.registrationNumber}/${step.n}` });
        return;
      }
      case "cancelPayment":
        await sendDisbursement(step, now, { type: "CANCEL", reasons: step.reasons });
        return;
    }
  }
}

/** A plausible result for an indicator, from the money used (kronor) and the case's index. */
function indicatorValue(name: string, usedKronor: number, index: number): number {
  const n = name.toLowerCase();
  if (n.includes("skolor")) return 2 + (index % 9);
  if (n.includes("kommuner")) return 2 + (index % 5);
  if (n.includes("rutin")) return 1 + (index % 4);
  if (n.includes("volontärer")) return 6 + (index % 15);
  if (n.includes("barn som fått stöd")) return Math.max(5, Math.round(usedKronor / 9_000));
  if (n.includes("kvinnor som fått stöd")) return Math.max(5, Math.round(usedKronor / 5_000));
  if (n.includes("barn och unga")) return Math.max(20, Math.round(usedKronor / 1_000));
  return Math.max(10, Math.round(usedKronor / 2_500)); // utbildade yrkesverksamma / medarbetare
}

function conditionsFor(call: CallKey): string {
  const c = CALLS[call].terms;
  const period = PROJECT_PERIOD[call];
  const parts = [`Bidraget får användas under perioden ${period.start}–${period.end} för de insatser som beskrivs i ansökan.`];
  if (c.interimReportRequired && c.interimReportDueOn) parts.push(`Delredovisning ska lämnas senast ${c.interimReportDueOn.toISOString().slice(0, 10)}.`);
  parts.push(`Slutredovisning ska lämnas senast ${c.finalReportDueOn.toISOString().slice(0, 10)}.`);
  if (c.paymentRequestRequired) parts.push(`Bidraget ska rekvireras inom ${c.paymentRequestDays} dagar från beslutet; annars förfaller rätten till bidraget.`);
  parts.push("Medel som inte har använts för ändamålet ska betalas tillbaka.");
  return parts.join(" ");
}

/** The call's own events (closing, marking decided) in its lane. */
function callEntries(w: World, key: CallKey): Lane["entries"] {
  const c = CALLS[key];
  const officer = () => staffOf(w, c.board, "officer");
  const entries: Lane["entries"] = [];
  const event = (date: string, type: string) => {
    const now = at(date, "16:00");
    entries.push({ at: now, run: async () => void (await applyWorkflowEvent(w.db, officer(), "call", w.calls[key].id, { type }, { now })) });
  };
  if (c.closeOn) event(c.closeOn, "CLOSE");
  if (c.decidedOn) event(c.decidedOn, "MARK_DECIDED");
  return entries;
}

async function runLane(lane: Lane): Promise<void> {
  // Stable sort: same instant keeps insertion order (a scenario's own steps stay in order).
  const ordered = lane.entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.at.getTime() - b.e.at.getTime() || a.i - b.i);
  for (const { e } of ordered) {
    try {
      await e.run();
    } catch (error) {
      throw new Error(`demo seed, lane ${lane.name}, step at ${e.at.toISOString()}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

export async function seedDemo(db: Db): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const people = await createPeople(db, passwordHash);
  const w: World = { db, ...people, assignments: {} as World["assignments"], allocations: new Map(), calls: {} as World["calls"] };
  await createAssignmentsAndCalls(w);

  const lanes: Lane[] = (Object.keys(CALLS) as CallKey[]).map((key) => ({ name: key, entries: callEntries(w, key) }));
  SCENARIOS.forEach((s, i) => lanes.find((l) => l.name === s.call)!.entries.push(...scenarioEntries(w, s, i)));
  // Each call's lane in date order; lanes side by side (they share no locked row, and
  // registration counters are per board and year: c1 and c2 are both Östergötland, but 2020 and 2021).
  // Wait for every lane before reporting a failure, so nothing still writes when the caller disconnects.
  const failed = (await Promise.allSettled(lanes.map(runLane))).find((r) => r.status === "rejected");
  if (failed) throw failed.reason;

  const violations = await reconcile(db);
  if (violations.length > 0) throw new Error(`demo seed left the budget or audit invariants broken: ${JSON.stringify(violations)}`);
  const chains = await verifyAuditChains(db);
  if (chains.firstBreak) throw new Error(`demo seed left a broken audit chain: ${JSON.stringify(chains.firstBreak)}`);
}
