/**
 * Spreadsheets offices keep today, read on the device: CSV (comma or semicolon, quoted cells)
 * and XLSX (the first worksheet; an XLSX file is a zip of XML parts, read with fflate).
 */
import { strFromU8, unzipSync } from "fflate";

export interface Sheet {
  headers: string[];
  rows: string[][];
}

export function parseCsv(text: string): Sheet {
  const source = text.replace(/^\uFEFF/, "");
  const firstLine = source.slice(0, source.indexOf("\n") === -1 ? undefined : source.indexOf("\n"));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  const records: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === "") quoted = true;
    else if (c === delimiter) {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && source[i + 1] === "\n") i++;
      row.push(cell);
      records.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    records.push(row);
  }
  return toSheet(records.filter((r) => r.some((v) => v.trim() !== "")));
}

function toSheet(records: string[][]): Sheet {
  const [headers = [], ...rows] = records;
  return { headers: headers.map((h) => h.trim()), rows: rows.map((r) => headers.map((_, i) => (r[i] ?? "").trim())) };
}

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)?.[0] ?? "A";
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** The first worksheet of an XLSX workbook; dates stay Excel serial numbers (see toIsoDate). */
export function parseXlsx(bytes: Uint8Array, parser: DOMParser = new DOMParser()): Sheet {
  const files = unzipSync(bytes, {
    filter: (f) => f.name === "xl/sharedStrings.xml" || f.name.startsWith("xl/worksheets/") || f.name === "xl/workbook.xml",
  });
  const shared: string[] = [];
  const sharedXml = files["xl/sharedStrings.xml"];
  if (sharedXml) {
    const doc = parser.parseFromString(strFromU8(sharedXml), "application/xml");
    for (const si of Array.from(doc.getElementsByTagName("si"))) {
      shared.push(Array.from(si.getElementsByTagName("t")).map((t) => t.textContent ?? "").join(""));
    }
  }
  const sheetName = Object.keys(files)
    .filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
    .sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]))[0];
  if (!sheetName) throw new Error("no worksheet");
  const doc = parser.parseFromString(strFromU8(files[sheetName]!), "application/xml");
  const records: string[][] = [];
  for (const rowEl of Array.from(doc.getElementsByTagName("row"))) {
    const row: string[] = [];
    for (const c of Array.from(rowEl.getElementsByTagName("c"))) {
      const index = columnIndex(c.getAttribute("r") ?? "A");
      const type = c.getAttribute("t");
      let value: string;
      if (type === "inlineStr") value = Array.from(c.getElementsByTagName("t")).map((t) => t.textContent ?? "").join("");
      else {
        const v = c.getElementsByTagName("v")[0]?.textContent ?? "";
        value = type === "s" ? (shared[Number(v)] ?? "") : v;
      }
      while (row.length < index) row.push("");
      row[index] = value;
    }
    records.push(row);
  }
  return toSheet(records.filter((r) => r.some((v) => (v ?? "").trim() !== "")));
}

export async function readSheet(file: File): Promise<{ sheet: Sheet; bytes: Uint8Array }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const sheet = isZip ? parseXlsx(bytes) : parseCsv(new TextDecoder().decode(bytes));
  return { sheet, bytes };
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new Uint8Array(bytes));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * One row's Idempotency-Key: the file's content and the row's place in it. The same file
 * imported twice sends the same keys, and the services replay instead of registering again.
 */
export function rowKey(fileHash: string, row: number): string {
  return `import-${fileHash.slice(0, 40)}-${row}`;
}
