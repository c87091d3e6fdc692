/**
 * French and English for every label and message. The user's choice is kept on the device.
 *
 * Labels live in messages.json, the services' rule and error codes in codes.json, the values of
 * the services' enumerations in vocabulary.json and the survey's questions in survey.json; each
 * entry has both languages (web/tests/test_catalogue.py checks them against the services).
 */
import codes from "./codes.json";
import messages from "./messages.json";
import survey from "./survey.json";
import vocabulary from "./vocabulary.json";

export type Lang = "en" | "fr";
export type MessageKey = keyof typeof messages;
export type Vocabulary = keyof typeof vocabulary;
type Entry = { en: string; fr: string };

const STORAGE_KEY = "staff.lang";
export const LANGS: readonly Lang[] = ["fr", "en"];

function initialLang(): Lang {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (stored === "en" || stored === "fr") return stored;
  return globalThis.navigator?.language?.startsWith("en") ? "en" : "fr";
}

let current: Lang = initialLang();
const listeners = new Set<(lang: Lang) => void>();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  globalThis.localStorage?.setItem(STORAGE_KEY, next);
  if (globalThis.document) globalThis.document.documentElement.lang = next;
  for (const listener of listeners) listener(next);
}

export function onLangChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** What a missing translation shows: the browser tests look for this mark on every page. */
export const missing = (key: string): string => `⟦${key}⟧`;

function pick(entry: Entry | undefined, key: string): string {
  return entry ? entry[current] : missing(key);
}

function fill(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (all, name: string) =>
    name in vars ? String(vars[name]) : all,
  );
}

export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  return fill(pick(messages[key] as Entry, key), vars);
}

/** A label for a key built at run time (a field path, say); undefined when there is none. */
export function tryT(key: string): string | undefined {
  const entry = (messages as Record<string, Entry>)[key];
  return entry ? entry[current] : undefined;
}

export function hasMessage(key: string): key is MessageKey {
  return key in messages;
}

export function vocab(name: Vocabulary): string[] {
  return Object.keys(vocabulary[name]);
}

export function term(name: Vocabulary, value: string): string {
  const entries = vocabulary[name] as Record<string, Entry>;
  return pick(entries[value], `${name}.${value}`);
}

export function ruleMessage(rule: string): string {
  return pick((codes.rules as Record<string, Entry>)[rule], `rule.${rule}`);
}

export function errorMessage(code: string): string {
  return pick((codes.errors as Record<string, Entry>)[code], `error.${code}`);
}

export function surveyQuestion(indicator: string): string {
  return pick((survey.questions as Record<string, Entry>)[indicator], `survey.${indicator}`);
}

export function surveyAnswer(answer: string): string {
  return pick((survey.answers as Record<string, Entry>)[answer], `answer.${answer}`);
}

export function formatDate(iso: string): string {
  const day = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return iso;
  return day.toLocaleDateString(current === "fr" ? "fr-FR" : "en-GB", { timeZone: "UTC" });
}

export function formatNumber(value: number): string {
  return value.toLocaleString(current === "fr" ? "fr-FR" : "en-GB");
}
