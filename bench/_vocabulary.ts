/**
 * Word pools and sentence templates for the synthetic news generator, in the phrasing of real wire
 * copy. Placeholders in braces are filled per sentence: {t1} and {t2} are two different topic nouns,
 * {person}/{person2} full names, {role}, {org}, {city}, {city2}, {country}, {day}, {month}, {n}, {pct},
 * {year}, {facility}, {agency}.
 */

export const FIRST_NAMES = (
  "Anna Boris Carla David Elena Farid Grace Hassan Irina James Karen Leon Maria Nadia Omar Paula Quentin Rosa Samuel Tamar " +
  "Umar Vera Walter Yusuf Zara Ahmet Lena Marco Sofia Daniel Aylin Emre Nina Pavel Ruth Tomas Lucia Viktor Hana Ivan Olga " +
  "Mehmet Sara Arman Gohar Levon Nare Peter Helen Michael Claire Rahul Priya Kenji Yuki Chloe Felix Ingrid Mateo Amara Jonas"
).split(" ");

export const LAST_NAMES = (
  "Petrov Sargsyan Yilmaz Kaya Novak Schmidt Rossi Garcia Hughes Okafor Tanaka Ivanova Demir Hakobyan Mueller Costa Larsen " +
  "Dubois Bianchi Fischer Moreau Romano Kowalski Horvat Nagy Popescu Jensen Lindqvist Aydin Grigoryan Karimov Aliyev Celik " +
  "Ozturk Baker Wright Murray Fraser Walsh Doyle Mensah Sato Varga Novotny Ferreira Haddad Brennan Lambert Kovacs Olsen"
).split(" ");

const CITY_STARTS =
  "Ash Bel Black Bright Cedar Clear Cold Dun East Elm Fair Fox Glen Green Grey High Iron King Lake Lark Mar Mill New North Oak Pine Queen Raven Red Salt South Stone Thorn West Whit Wolf York".split(
    " ",
  );
const CITY_ENDS = "ford mont field haven rock bury gate port side low ridge crest cliff bridge wick ton brook wood stead marsh by well".split(" ");

/** 814 place names ("Ashford", "Ravenwick"): a long tail, like the places of a real news archive. */
export const CITIES = CITY_STARTS.flatMap((a) => CITY_ENDS.map((b) => a + b));

export const COUNTRIES = "Norland Estovia Caradon Velmar Ostria Pellandia Marvania Sudria Kaltenberg Lusovia Tarvania Belgora".split(" ");

export const PUBLISHERS = [
  "Daily Ledger",
  "Morning Courier",
  "Evening Standard Times",
  "Capital Herald",
  "Continental Wire",
  "Harbor Gazette",
  "Northern Chronicle",
  "Public Broadcaster News",
  "Business Review",
  "Regional Post",
];

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

export const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Roles any story can quote. */
export const ROLES = [
  "spokesperson",
  "analyst",
  "economist",
  "union leader",
  "mayor",
  "regional governor",
  "opposition lawmaker",
  "senior adviser",
  "deputy minister",
  "professor of economics",
  "board chairman",
  "chief executive",
];

export interface Topic {
  /** URL section. */
  section: string;
  /** Organisation kinds; an organisation is a city or country name plus one of these. */
  orgKinds: string[];
  /** Things an organisation opens or builds (the article's counted fact). */
  facilities: string[];
  /** Roles of the lead speaker. */
  leadRoles: string[];
  /** Noun phrases the filler sentences are about. */
  nouns: string[];
  /** Sentences specific to the topic. */
  sentences: string[];
  /** Section headings. */
  headings: string[];
  /** The quoted figure of the third fact: the sentence stating it ({city}, {x}, {month}) and the question asking for it ({city}, {who}). */
  measure: { sentence: string; question: string };
}

export const TOPICS: Topic[] = [
  {
    section: "trade",
    orgKinds: ["Chamber of Commerce", "Export Credit Agency", "Customs Service", "Trade Development Board", "Logistics Group", "Grain Exchange"],
    facilities: ["customs posts", "logistics hubs", "bonded warehouses", "container depots", "export centres", "inland ports"],
    leadRoles: ["trade minister", "economy minister", "trade envoy", "deputy prime minister"],
    nouns: [
      "exports",
      "imports",
      "tariffs",
      "customs delays",
      "the trade deficit",
      "shipping costs",
      "grain shipments",
      "steel quotas",
      "the free trade agreement",
      "border checks",
      "currency swings",
      "supply chains",
    ],
    sentences: [
      "Exports to {country} rose by {pct} percent in the first half of the year, according to customs data.",
      "The {agency} said delays at border checkpoints had added several days to average delivery times.",
      "Shipping companies have raised freight rates twice since {month}, citing higher fuel and insurance costs.",
      "Negotiators from both sides are due to meet again in {city2} later this month.",
      "The dispute over {t1} has weighed on business confidence across the region.",
      "Farmers say lower grain prices and higher fertiliser costs have squeezed their margins.",
      "Importers have warned that new labelling rules could push up prices for consumers.",
      "The trade deficit narrowed for a third consecutive quarter, helped by strong demand for machinery.",
      "Small manufacturers have complained that paperwork for {t1} has become slower and more expensive.",
      "A new rail freight corridor to {city2} is expected to cut transit times for bulk cargo.",
      "Economists say a weaker currency has made local goods cheaper abroad but raised the cost of imported parts.",
      "Port operators in {city2} reported record container volumes in {month}.",
    ],
    headings: ["Exporters wait for details", "Tariff talks continue", "Ports under pressure", "What changes for importers"],
    measure: {
      sentence: "Freight volumes through {city} have risen by {x} percent since {month}",
      question: "By how much have freight volumes through {city} risen, according to {who}?",
    },
  },
  {
    section: "energy",
    orgKinds: ["Power Authority", "Energy Board", "Grid Company", "Gas Utility", "Renewables Agency", "Electricity Cooperative"],
    facilities: ["wind farms", "solar parks", "substations", "battery storage sites", "gas-fired plants", "district heating plants"],
    leadRoles: ["energy minister", "head of the grid operator", "environment minister", "regional governor"],
    nouns: [
      "electricity prices",
      "gas supplies",
      "the power grid",
      "nuclear energy",
      "renewable capacity",
      "oil output",
      "heating costs",
      "fuel subsidies",
      "coal plants",
      "energy storage",
      "carbon emissions",
      "peak demand",
    ],
    sentences: [
      "Wholesale electricity prices fell by {pct} percent last month as wind output rose.",
      "The grid operator has warned that ageing transmission lines could limit new connections.",
      "Households in {city2} have seen their heating bills climb for two winters in a row.",
      "Plans to close the last coal plant in the region have been delayed until at least {year}.",
      "The {agency} said gas storage sites were more than {pct} percent full ahead of the winter.",
      "Environmental groups welcomed the decision but said it did not go far enough to cut carbon emissions.",
      "Industrial users have asked for long-term contracts to protect them from sudden price spikes.",
      "Engineers said the new interconnector would allow surplus power to be sold to {country}.",
      "Demand for heat pumps has grown quickly since subsidies were introduced in {month}.",
      "The debate over {t1} has divided the governing coalition for months.",
      "Utility companies say investment in {t1} will have to double to meet the targets.",
      "Several rural towns still rely on diesel generators during winter storms.",
    ],
    headings: ["Prices and the grid", "Winter supplies", "The cost of the transition", "What households will pay"],
    measure: {
      sentence: "Peak demand on the {city} grid has risen by {x} percent since {month}",
      question: "How much has peak demand on the {city} grid risen, according to {who}?",
    },
  },
  {
    section: "transport",
    orgKinds: ["Rail Company", "Transit Agency", "Port Authority", "Airport Operator", "Highways Agency", "Bus Company"],
    facilities: ["rail stations", "bus depots", "freight terminals", "tram stops", "park-and-ride sites", "railway bridges"],
    leadRoles: ["transport minister", "mayor", "head of the rail operator", "infrastructure minister"],
    nouns: [
      "the rail network",
      "freight traffic",
      "passenger trains",
      "the new motorway",
      "airport expansion",
      "bus routes",
      "the port terminal",
      "road tolls",
      "cargo flights",
      "the tram line",
      "commuter fares",
      "track maintenance",
    ],
    sentences: [
      "Passenger numbers on the main line to {city2} have risen by {pct} percent since the timetable change.",
      "Commuters have complained about overcrowded trains and frequent cancellations during the morning peak.",
      "The {agency} said repairs to the bridge over the river would close one lane until {month}.",
      "Freight operators want more night-time slots on the busiest sections of track.",
      "A study published last year found that congestion costs the regional economy millions every year.",
      "The new timetable will add late-evening services on weekends, officials said.",
      "Residents along the proposed route have objected to noise and the loss of farmland.",
      "Airlines have added direct flights to {city2} as demand for business travel recovers.",
      "The tender for new rolling stock is expected to be awarded before the end of {year}.",
      "Cyclists' groups have called for protected lanes on the main roads into the city centre.",
      "Road hauliers say toll increases on the motorway will be passed on to customers.",
      "Plans for {t1} have been revised several times since they were first announced.",
    ],
    headings: ["Delays and cancellations", "A new timetable", "Who pays for the line", "Opposition along the route"],
    measure: {
      sentence: "Ridership in {city} has grown by {x} percent since {month}",
      question: "How much has ridership in {city} grown, according to {who}?",
    },
  },
  {
    section: "health",
    orgKinds: ["Hospital Trust", "Health Service", "Public Health Institute", "Medical Association", "Health Insurance Fund", "Nursing Council"],
    facilities: ["clinics", "hospitals", "diagnostic centres", "pharmacies", "mental health units", "emergency care centres"],
    leadRoles: ["health minister", "chief medical officer", "head of the hospital trust", "regional governor"],
    nouns: [
      "hospital waiting lists",
      "vaccination rates",
      "nurse shortages",
      "drug prices",
      "emergency care",
      "rural clinics",
      "health insurance",
      "medical research",
      "ambulance services",
      "public health campaigns",
      "mental health services",
      "staff burnout",
    ],
    sentences: [
      "Waiting times for routine operations have lengthened in {city2}, where some patients wait more than a year.",
      "Nurses' unions have threatened to strike over pay and staffing levels.",
      "The {agency} said vaccination rates among children had fallen to {pct} percent in some districts.",
      "Doctors have warned that emergency departments are struggling to cope with winter demand.",
      "A shortage of general practitioners has left rural areas with long waits for appointments.",
      "The cost of prescription medicines rose faster than inflation for a second year.",
      "Patient groups welcomed the plan but said mental health services remained underfunded.",
      "Hospital managers say they have had to cancel operations because of a lack of beds.",
      "Researchers at the university hospital in {city2} are leading a trial of a new treatment.",
      "The ministry plans to recruit more nurses from abroad to fill vacant posts.",
      "Local councils say spending on {t1} has not kept pace with an ageing population.",
      "Ambulance response times have improved slightly since {month}, official figures show.",
    ],
    headings: ["Waiting lists grow", "Staff shortages", "What patients can expect", "Funding questions"],
    measure: {
      sentence: "Waiting lists in {city} have grown by {x} percent since {month}",
      question: "How much have waiting lists in {city} grown, according to {who}?",
    },
  },
  {
    section: "elections",
    orgKinds: ["Electoral Commission", "Election Monitoring Group", "Voter Registration Office", "Civic Forum", "Polling Institute", "Electoral Council"],
    facilities: [
      "polling stations",
      "voter registration offices",
      "counting centres",
      "civic information centres",
      "early voting sites",
      "mobile polling units",
    ],
    leadRoles: ["head of the electoral commission", "interior minister", "chief election observer", "regional governor"],
    nouns: [
      "voter turnout",
      "campaign funding",
      "the coalition talks",
      "the budget vote",
      "local elections",
      "the opposition",
      "the constitutional reform",
      "postal voting",
      "the referendum",
      "electoral boundaries",
      "party membership",
      "election security",
    ],
    sentences: [
      "Turnout in the last local elections was {pct} percent, the lowest in two decades.",
      "Opposition parties have accused the government of redrawing electoral boundaries in its favour.",
      "Observers from {country} are expected to monitor the vote in several districts.",
      "Polls suggest the governing party has lost ground among younger voters since {month}.",
      "The {agency} said it had received hundreds of complaints about campaign advertising.",
      "Candidates must submit their nomination papers by the end of {month}.",
      "A new law on campaign finance caps donations from companies and requires quarterly reports.",
      "The coalition has a narrow majority in parliament and depends on two smaller parties.",
      "Civil society groups have called for clearer rules on political advertising online.",
      "Voters in {city2} will also be asked to approve changes to the city charter.",
      "Party leaders have agreed to hold three televised debates before polling day.",
      "Disputes over {t1} have dominated the final weeks of the campaign.",
    ],
    headings: ["Campaign rules", "Turnout worries", "The opposition responds", "Observers on the ground"],
    measure: {
      sentence: "Voter registration in {city} has risen by {x} percent since {month}",
      question: "By how much has voter registration in {city} risen, according to {who}?",
    },
  },
];

/** Sentences any story can use. */
export const GENERAL_SENTENCES = [
  "Officials said the decision followed months of negotiations over {t1} and {t2}.",
  "The plan has drawn criticism from residents worried about {t1}.",
  "Analysts expect {t1} to remain a central issue in the coming months.",
  "Critics argue that the government has ignored concerns about {t1} for years.",
  "The announcement comes as {country} faces growing pressure over {t1}.",
  "Local businesses have welcomed the move, saying it could ease the strain on {t1}.",
  "Several lawmakers called for an independent review of {t1} before any final decision.",
  "The ministry did not say how the measures would affect {t2}.",
  "Similar proposals were rejected in {year} after disputes over {t2}.",
  "Industry groups have long campaigned for changes to {t1} and {t2}.",
  "The talks were held behind closed doors, and few details were released.",
  "Observers noted that public support for the project has fallen since the spring.",
  "The region has struggled with rising costs and slow growth in recent years.",
  "A spokesperson for the opposition described the plan as rushed and poorly funded.",
  "Figures published in {month} showed a sharp increase in concerns about {t1}.",
  "The government said further announcements on {t2} would follow before the end of the year.",
  "The proposal still needs the approval of parliament, where the governing coalition holds a slim majority.",
  "Residents of {city2} held a protest outside the town hall on {day} evening.",
  "It was not immediately clear how the project would be financed.",
  "The European investment bank has signalled that it may provide part of the funding.",
  "Unions said they had not been consulted and threatened to challenge the plan in court.",
  "A similar scheme in {city2} was abandoned after costs doubled.",
  "The mayor's office said it would publish a detailed timetable in the coming weeks.",
  "Independent experts have questioned whether the targets can be met on time.",
  "The announcement was made at a press conference in {city2} on {day}.",
  "Officials declined to comment on how many jobs could be affected.",
  "The measures are part of a wider package agreed by the cabinet in {month}.",
  "Some economists warned that higher interest rates could slow investment in {t1}.",
  "Business leaders said clarity on {t1} would help them plan for the next few years.",
  "The cost of materials has risen sharply since the war in the region began, contractors say.",
  "A public consultation on the plans will run until the end of {month}.",
  "The government has promised to publish an impact assessment before work begins.",
  "Opposition parties said they would try to block the plan when it comes to a vote.",
  "Regional authorities have asked for more say over how the money is spent.",
  "Previous governments have made similar promises without delivering them, critics say.",
];

/** Quoted statements with the attribution styles of real copy. */
export const QUOTES = [
  "“We cannot afford to wait any longer on {t1},” {person} said.",
  "“This is a significant step for {city} and for the whole region,” said {person}, the {role}.",
  "{person} told reporters that the agreement on {t1} was “long overdue.”",
  "“Our priority is to make sure that {t2} does not get worse,” {person} added.",
  "According to {org}, the changes will be phased in over several years.",
  "{person}, the {role}, warned that {t1} could become a serious problem if nothing is done.",
  "“People are tired of promises. They want to see results,” said {person}, a resident of {city2}.",
  "“The numbers simply do not add up,” {person}, the {role}, said in a statement.",
  "{person} said the government was “listening carefully” to concerns about {t1}.",
  "“We will not accept a plan that leaves rural areas behind,” {person} said on {day}.",
  "According to {person}, the {role}, the first phase could begin as early as next year.",
  "“There is still a lot of work to do, but we are moving in the right direction,” said {person}.",
  "In a statement, {org} said it “fully supports” the plan but wants more detail on {t2}.",
  "“It is too early to say what this will mean for {t1},” {person}, the {role}, told reporters.",
  "{person} described the decision as “a turning point” for {city}.",
  "“We have waited long enough,” {person} said. “Now it is time to deliver.”",
];

export const CAPTIONS = [
  "Workers at a construction site in {city}, {month} {year}. (Photo via {publisher})",
  "{person}, the {role}, speaks to reporters in {city2}. (File photo)",
  "A view of {city} from the river. ({publisher} Photo)",
];
