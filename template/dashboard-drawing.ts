/**
 * A drawing of the dashboard (docs/dashboard.svg), made from the dashboard's own JSON as `serverless package` writes
 * it: every widget at its place on CloudWatch's 24-column grid, with its title, its lines' labels and the alarm
 * thresholds it marks; the alarm widget with the name of every alarm. It is labelled and dated as a drawing: no
 * render of a CloudWatch dashboard can be made offline, and it shows no data.
 *
 * Hand-written SVG, on purpose: the picture is boxes and text, and a charting library would draw data this has not.
 * Text width is estimated from the font size (no font metrics offline), so long labels are cut with an ellipsis.
 */
import type { AlarmWidget, DashboardBody, LineOptions, MetricWidget, Placement, TextWidget, Widget } from './dashboard.js';

/** What the caption says. */
export interface DrawingLabel {
  /** The dashboard's name. */
  name: string;
  /** When it was drawn (YYYY-MM-DD); also kept as the SVG's `data-drawn`, which the drawing test reads back. */
  date: string;
}

/** Pixels per grid column and per grid row, and around the grid. */
const COLUMN = 50;
const ROW = 36;
const MARGIN = 16;
const CAPTION = 64;
const GAP = 4;
/** CloudWatch's default line colours, in order. */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'] as const;
const FONT = 'font-family="Helvetica, Arial, sans-serif"';
/** About how wide a character of the font is, per pixel of font size. */
const CHARACTER_WIDTH = 0.56;

/** The drawing of a dashboard body, as SVG text. */
export function drawDashboard(body: DashboardBody, { name, date }: DrawingLabel): string {
  const rows = Math.max(0, ...body.widgets.map(({ y, height }) => y + height));
  const width = 24 * COLUMN + 2 * MARGIN;
  const height = CAPTION + rows * ROW + 2 * MARGIN;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" data-drawn="${escapeXml(date)}">`,
    `<title>${escapeXml(`Drawing of the CloudWatch dashboard ${name}, ${date}`)}</title>`,
    `<rect width="${width}" height="${height}" fill="#f2f3f3"/>`,
    text(MARGIN, MARGIN + 18, `CloudWatch dashboard ${name}: a drawing, not a screenshot`, 18, 'bold'),
    text(
      MARGIN,
      MARGIN + 40,
      `Drawn ${date} from the dashboard JSON of \`serverless package --stage dev\` (template/dashboard.ts, npm run draw-dashboard). No data is shown.`,
      12,
    ),
    ...body.widgets.map((widget) => drawWidget(widget)),
    '</svg>',
    '',
  ].join('\n');
}

function drawWidget(widget: Widget): string {
  const box = boxOf(widget);
  if (widget.type === 'text') return drawText(widget, box);
  if (widget.type === 'alarm') return drawAlarms(widget, box);
  return drawGraph(widget, box);
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

function boxOf({ x, y, width, height }: Placement): Box {
  return {
    left: MARGIN + x * COLUMN + GAP / 2,
    top: MARGIN + CAPTION + y * ROW + GAP / 2,
    width: width * COLUMN - GAP,
    height: height * ROW - GAP,
  };
}

/** A text widget: its headings and its text, wrapped. */
function drawText(widget: TextWidget, box: Box): string {
  const parts = [`<g data-widget="text">`, frame(box, widget.properties.markdown.startsWith('## ') ? '#e9ebed' : '#ffffff')];
  let baseline = box.top + 20;
  for (const line of widget.properties.markdown.split('\n')) {
    const heading = /^(#+)\s+(.*)$/.exec(line);
    const size = heading === null ? 12 : heading[1]!.length === 1 ? 16 : 13;
    for (const wrapped of wrap(plain(heading === null ? line : heading[2]!), box.width - 20, size)) {
      parts.push(text(box.left + 10, baseline, wrapped, size, heading === null ? 'normal' : 'bold'));
      baseline += size + 6;
    }
  }
  parts.push('</g>');
  return parts.join('\n');
}

/** The alarm status widget: every alarm's name, in columns, each with an empty state square. */
function drawAlarms(widget: AlarmWidget, box: Box): string {
  const columns = 4;
  const columnWidth = (box.width - 20) / columns;
  const perColumn = Math.ceil(widget.properties.alarms.length / columns);
  const parts = [`<g data-widget="alarm">`, frame(box, '#ffffff'), text(box.left + 10, box.top + 20, widget.properties.title, 14, 'bold')];
  widget.properties.alarms.forEach((arn, index) => {
    const left = box.left + 10 + Math.floor(index / perColumn) * columnWidth;
    const baseline = box.top + 42 + (index % perColumn) * 15;
    parts.push(`<rect x="${left}" y="${baseline - 9}" width="9" height="9" fill="none" stroke="#879596"/>`);
    parts.push(text(left + 14, baseline, fit(arn.slice(arn.lastIndexOf(':alarm:') + ':alarm:'.length), columnWidth - 20, 10), 10));
  });
  parts.push('</g>');
  return parts.join('\n');
}

/** A graph: its title, empty axes with their labels, its threshold lines, and the legend of its lines. */
function drawGraph(widget: MetricWidget, box: Box): string {
  const { title, metrics, yAxis, annotations } = widget.properties;
  const plot = {
    left: box.left + 34,
    top: box.top + 30,
    right: box.left + box.width - (yAxis.right === undefined ? 12 : 34),
    bottom: box.top + box.height - 22 - 14 * Math.ceil(metrics.length / 2),
  };
  const parts = [
    `<g data-widget="metric">`,
    frame(box, '#ffffff'),
    text(box.left + 10, box.top + 19, fit(title, box.width - 20, 13), 13, 'bold'),
    `<path d="M${plot.left} ${plot.top}V${plot.bottom}H${plot.right}${yAxis.right === undefined ? '' : `V${plot.top}`}" fill="none" stroke="#aab7b8"/>`,
    rotated(box.left + 14, (plot.top + plot.bottom) / 2, yAxis.left.label),
    ...(yAxis.right === undefined ? [] : [rotated(box.left + box.width - 10, (plot.top + plot.bottom) / 2, yAxis.right.label)]),
  ];
  for (const { label } of annotations?.horizontal ?? []) {
    const level = plot.top + (plot.bottom - plot.top) * 0.3;
    parts.push(`<path d="M${plot.left} ${level}H${plot.right}" stroke="#d13212" stroke-dasharray="6 4"/>`);
    parts.push(text(plot.left + 6, level - 4, fit(label, plot.right - plot.left - 12, 10), 10, 'normal', '#d13212'));
  }
  metrics.forEach((line, index) => {
    const options = line[line.length - 1] as LineOptions;
    const left = box.left + 10 + (index % 2) * ((box.width - 20) / 2);
    const baseline = plot.bottom + 18 + Math.floor(index / 2) * 14;
    const colour = PALETTE[index % PALETTE.length]!;
    parts.push(`<rect x="${left}" y="${baseline - 8}" width="12" height="3" fill="${colour}"/>`);
    const legend = `${options.label}${options.yAxis === 'right' ? ' (right)' : ''}`;
    parts.push(text(left + 16, baseline, fit(legend, (box.width - 20) / 2 - 20, 10), 10));
  });
  parts.push('</g>');
  return parts.join('\n');
}

function frame({ left, top, width, height }: Box, fill: string): string {
  return `<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="${fill}" stroke="#d5dbdb"/>`;
}

function text(x: number, y: number, content: string, size: number, weight: 'normal' | 'bold' = 'normal', fill = '#16191f'): string {
  return `<text x="${round(x)}" y="${round(y)}" ${FONT} font-size="${size}" font-weight="${weight}" fill="${fill}">${escapeXml(content)}</text>`;
}

function rotated(x: number, y: number, content: string): string {
  return `<text transform="translate(${round(x)} ${round(y)}) rotate(-90)" text-anchor="middle" ${FONT} font-size="10" fill="#545b64">${escapeXml(content)}</text>`;
}

/** Markdown's emphasis and code marks, dropped. */
function plain(markdown: string): string {
  return markdown.replace(/\*\*|`/g, '');
}

/** The words of a line, in lines that fit the width. */
function wrap(line: string, width: number, size: number): string[] {
  const room = Math.floor(width / (size * CHARACTER_WIDTH));
  const lines: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > room) {
      lines.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  return [...lines, current];
}

/** The text, cut with an ellipsis where it would not fit the width. */
function fit(content: string, width: number, size: number): string {
  const room = Math.floor(width / (size * CHARACTER_WIDTH));
  return content.length <= room ? content : `${content.slice(0, Math.max(0, room - 1))}…`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function escapeXml(content: string): string {
  return content.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A packaged template, as far as the drawing reads it. */
export interface PackagedTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/** The values `!Sub` would fill into the body; a drawing needs none of them, only valid JSON. */
const PLACEHOLDERS: Record<string, string> = {
  '${AWS::Region}': 'region',
  '${AWS::Partition}': 'aws',
  '${AWS::AccountId}': '000000000000',
};

/**
 * The dashboard of a packaged template (its one AWS::CloudWatch::Dashboard): its name and its body as JSON, with
 * placeholders where CloudFormation would fill in the region, partition and account.
 */
export function packagedDashboard(template: PackagedTemplate): { name: string; body: DashboardBody } {
  const dashboards = Object.values(template.Resources).filter(({ Type }) => Type === 'AWS::CloudWatch::Dashboard');
  if (dashboards.length !== 1)
    throw new Error(`The template has ${dashboards.length} dashboards, not 1: package it with this project's serverless.yml`);
  const { DashboardName, DashboardBody } = dashboards[0]!.Properties as { DashboardName: string; DashboardBody: { 'Fn::Sub': string } };
  const json = DashboardBody['Fn::Sub'].replace(/\$\{AWS::(Region|Partition|AccountId)\}/g, (variable) => PLACEHOLDERS[variable]!);
  return { name: DashboardName, body: JSON.parse(json) as DashboardBody };
}
