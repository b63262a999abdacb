import { Resvg } from "@resvg/resvg-js";
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { DayCount } from "../state/gaps.js";

/** Options of the questions-per-day chart, each with its default. */
export interface ChartOptions {
  /** Title above the chart. Default "Questions per day". */
  title?: string;
  /** Width of the plot area in CSS pixels (the PNG is `scale` times wider, plus axes). Default 640. */
  width?: number;
  /** Height of the plot area in CSS pixels. Default 240. */
  height?: number;
  /** Pixel density of the PNG. Default 2 (sharp on high-density screens, still small). */
  scale?: number;
}

const SERIES = [
  { key: "answered", label: "answered", color: "#4c9f70" },
  { key: "declined", label: "declined", color: "#e0a030" },
  { key: "downvoted", label: "thumbs down", color: "#d1495b" },
] as const;

/** The Vega-Lite spec of the chart: stacked bars per day, one colour per outcome. */
export function chartSpec(days: DayCount[], opts: ChartOptions = {}): TopLevelSpec {
  const values = days.flatMap((d) => SERIES.map((s) => ({ day: d.day, outcome: s.label, order: SERIES.indexOf(s), count: d[s.key] })));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: opts.title ?? "Questions per day", anchor: "start", fontSize: 15 },
    width: opts.width ?? 640,
    height: opts.height ?? 240,
    background: "white",
    padding: 12,
    data: { values },
    mark: { type: "bar", tooltip: false },
    encoding: {
      x: { field: "day", type: "ordinal", title: null, axis: { labelAngle: -45, labelExpr: "slice(datum.value, 5)", labelOverlap: true } },
      y: { field: "count", type: "quantitative", aggregate: "sum", title: "questions", axis: { tickMinStep: 1 } },
      color: {
        field: "outcome",
        type: "nominal",
        title: null,
        scale: { domain: SERIES.map((s) => s.label), range: SERIES.map((s) => s.color) },
        legend: { orient: "top", direction: "horizontal" },
      },
      order: { field: "order", type: "quantitative" },
    },
    config: {
      font: "DejaVu Sans",
      view: { stroke: null },
      axis: { grid: true, gridColor: "#eeeeee", domainColor: "#888888", labelColor: "#333333", titleColor: "#333333" },
    },
  };
}

/**
 * Questions per day as a PNG: Vega-Lite compiled to Vega, rendered to SVG in Node (no browser, no
 * canvas), then rasterised by resvg with the system's fonts.
 */
export async function renderDailyChart(days: DayCount[], opts: ChartOptions = {}): Promise<Buffer> {
  return (await renderDailyChartImage(days, opts)).png;
}

/** The chart as PNG bytes and as raw RGBA pixels with its size (for checks that look at the picture). */
export async function renderDailyChartImage(
  days: DayCount[],
  opts: ChartOptions = {},
): Promise<{ png: Buffer; width: number; height: number; pixels: Buffer }> {
  const view = new View(parse(compile(chartSpec(days, opts)).spec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    const image = new Resvg(svg, {
      fitTo: { mode: "zoom", value: opts.scale ?? 2 },
      background: "white",
      font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
    }).render();
    return { png: image.asPng(), width: image.width, height: image.height, pixels: image.pixels };
  } finally {
    view.finalize();
  }
}
