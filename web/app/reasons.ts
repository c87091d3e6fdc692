/**
 * The services explain a wrong field in English ("Field required", "cannot be in the future").
 * The reasons the forms can meet are said again here in the user's language; another reason
 * is shown as "invalid value", with the service's own words kept as the element's title.
 */
import { lang } from "./i18n";

type Pattern = [RegExp, (m: RegExpMatchArray) => { en: string; fr: string }];

const PATTERNS: Pattern[] = [
  [/^Field required$/i, () => ({ en: "Required", fr: "Obligatoire" })],
  [/^cannot be in the future$/i, () => ({ en: "Cannot be in the future", fr: "Ne peut pas être dans le futur" })],
  [/is in the future|before it happens|before it is held/i, () => ({ en: "Cannot be in the future", fr: "Ne peut pas être dans le futur" })],
  [/^must be before the arrival date$/i, () => ({ en: "Must be before the arrival date", fr: "Doit précéder la date d'arrivée" })],
  [/^cannot be before the arrival date (\S+)$/i, (m) => ({ en: `Cannot be before the arrival date ${m[1]}`, fr: `Ne peut pas précéder la date d'arrivée ${m[1]}` })],
  [/^gives an age above (\d+) years$/i, (m) => ({ en: `Gives an age above ${m[1]} years`, fr: `Donne un âge de plus de ${m[1]} ans` })],
  [/^Input should be a valid date/i, () => ({ en: "Not a valid date", fr: "Date non valide" })],
  [/^Input should be a valid (integer|number)/i, () => ({ en: "Not a valid number", fr: "Nombre non valide" })],
  [/^Input should be a valid UUID/i, () => ({ en: "Not a valid identifier", fr: "Identifiant non valide" })],
  [/^Input should be greater than or equal to (\S+)$/i, (m) => ({ en: `At least ${m[1]}`, fr: `Au moins ${m[1]}` })],
  [/^Input should be greater than (\S+)$/i, (m) => ({ en: `More than ${m[1]}`, fr: `Plus de ${m[1]}` })],
  [/^Input should be less than or equal to (\S+)$/i, (m) => ({ en: `At most ${m[1]}`, fr: `Au plus ${m[1]}` })],
  [/^String should have at least (\d+) characters?$/i, (m) => ({ en: `At least ${m[1]} characters`, fr: `Au moins ${m[1]} caractères` })],
  [/^String should have at most (\d+) characters?$/i, (m) => ({ en: `At most ${m[1]} characters`, fr: `Au plus ${m[1]} caractères` })],
  [/^List should have at least (\d+) items?/i, (m) => ({ en: `At least ${m[1]} entries`, fr: `Au moins ${m[1]} entrées` })],
  [/^String should match pattern/i, () => ({ en: "Wrong format", fr: "Format incorrect" })],
  [/^Input should be /i, () => ({ en: "Choose one of the proposed values", fr: "Choisissez une des valeurs proposées" })],
  [/^Extra inputs are not permitted$/i, () => ({ en: "Not expected here", fr: "Non attendu ici" })],
  [/^unaccompanied_minor applies only under 18$/i, () => ({ en: "Unaccompanied minor applies only under 18", fr: "Mineur non accompagné : seulement avant 18 ans" })],
  [/profit cannot be above revenue/i, () => ({ en: "Profit cannot be above revenue", fr: "Le bénéfice ne peut pas dépasser le chiffre d'affaires" })],
  [/name at least one kind of support/i, () => ({ en: "Name at least one kind of support", fr: "Indiquez au moins un type d'appui" })],
  [/must be empty when no support is needed/i, () => ({ en: "Leave empty when no support is needed", fr: "À laisser vide si aucun appui n'est nécessaire" })],
  [/every indicator must be answered/i, () => ({ en: "Every question must be answered", fr: "Chaque question doit avoir une réponse" })],
  [/already used for a different request/i, () => ({ en: "Already used for another submission", fr: "Déjà utilisé pour un autre envoi" })],
  [/the plan has (\d+) lines/i, (m) => ({ en: `The plan has ${m[1]} lines`, fr: `Le plan a ${m[1]} lignes` })],
  [/includes the beneficiaries' own contribution/i, () => ({ en: "A plan includes the beneficiaries' own contribution", fr: "Un plan comprend l'apport propre des bénéficiaires" })],
  [/line adjusted twice/i, () => ({ en: "Line adjusted twice", fr: "Ligne ajustée deux fois" })],
  [/required for vocational|required when certified|Required/i, () => ({ en: "Required here", fr: "Obligatoire ici" })],
];

export function reason(text: string): { text: string; known: boolean } {
  for (const [pattern, say] of PATTERNS) {
    const match = text.match(pattern);
    if (match) return { text: say(match)[lang()], known: true };
  }
  return { text: lang() === "fr" ? "Valeur non valide" : "Invalid value", known: false };
}
