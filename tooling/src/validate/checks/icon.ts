/** The icon is a 512x512 PNG (size read from the header) or a well-formed, square SVG. */
import path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { imageSize } from "image-size";
import type { CheckContext } from "../integration-context.js";
import { textOf } from "../read-inside.js";

export const PNG_ICON_SIZE = 512;

const svgParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", ignoreDeclaration: true, ignorePiTags: true });

/** A length in user units, or null when absent or relative (`100%`). */
function length(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const m = /^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$/.exec(value);
  return m ? Number(m[1]) : null;
}

export function svgProblem(text: string): { code: "IH052" | "IH053"; message: string; line?: number; column?: number } | null {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { code: "IH052", message: `SVG is not well-formed XML: ${valid.err.msg}`, line: valid.err.line, column: valid.err.col };
  const doc = svgParser.parse(text) as Record<string, unknown>;
  const rootName = Object.keys(doc).find((k) => !k.startsWith("#"));
  if (rootName !== "svg") return { code: "IH052", message: `the root element is <${rootName ?? "nothing"}>, not <svg>` };
  const svg = (doc.svg ?? {}) as Record<string, unknown>;
  const width = length(svg.width);
  const height = length(svg.height);
  if (width !== null && height !== null) {
    return width === height ? null : { code: "IH053", message: `SVG is ${width}x${height}, not square` };
  }
  const box = typeof svg.viewBox === "string" ? svg.viewBox.trim().split(/[\s,]+/).map(Number) : [];
  if (box.length === 4 && box.every(Number.isFinite)) {
    return box[2] === box[3] ? null : { code: "IH053", message: `SVG viewBox is ${box[2]}x${box[3]}, not square` };
  }
  return { code: "IH053", message: "SVG has neither width and height nor a viewBox, so it cannot be shown square" };
}

export async function checkIcon(ctx: CheckContext): Promise<void> {
  const icon = ctx.manifest.icon;
  const read = await ctx.read(icon);
  if (!read.ok) return; // reported by the referenced-files check
  const ext = path.extname(icon).toLowerCase();
  if (ext === ".png") {
    let size: { width?: number; height?: number; type?: string } | null = null;
    try {
      size = imageSize(read.bytes);
    } catch {
      size = null;
    }
    if (size?.type !== "png") ctx.reportAt("IH050", `${icon} is not a PNG image`, "/icon");
    else if (size.width !== PNG_ICON_SIZE || size.height !== PNG_ICON_SIZE) ctx.reportAt("IH051", `${icon} is ${size.width}x${size.height}, not ${PNG_ICON_SIZE}x${PNG_ICON_SIZE}`, "/icon");
  } else if (ext === ".svg") {
    const problem = svgProblem(textOf(read.bytes));
    if (problem) {
      ctx.report(problem.code, `${icon}: ${problem.message}`, {
        file: icon,
        position: problem.line ? { line: problem.line, column: problem.column ?? 1 } : null,
      });
    }
  } else {
    ctx.reportAt("IH050", `${icon} is neither .svg nor .png`, "/icon");
  }
}
