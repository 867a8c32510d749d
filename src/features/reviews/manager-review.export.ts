import { potentialLabel, type ReviewDocument, ratingLabel } from './manager-review.views';
import type { QuestionSet } from '../../db/database';

/** A finished review as a file shows it: people by name (a file has no mentions), dates as days. */
export interface ExportedReview {
  personName: string;
  managerName: string | null;
  cycleName: string;
  questions: QuestionSet;
  document: ReviewDocument;
  /** The rating the person sees: the calibrated one when set. */
  rating: number | null;
  calibrated: boolean;
  submittedOn: string | null;
  sharedOn: string | null;
  comment: string | null;
  signedOn: string | null;
  /** Potential goes only into the files of managers and HR, never the person's. */
  showPotential: boolean;
}

/** The review's parts in order, as headings and paragraphs: both files are written from it. */
function outline(r: ExportedReview): Array<{ heading: string; lines: string[] }> {
  return [
    {
      heading: 'Ratings',
      lines: [
        `Overall: ${ratingLabel(r.rating)}${r.calibrated ? ' (after calibration)' : ''}`,
        ...(r.showPotential ? [`Potential: ${potentialLabel(r.document.potential)} (managers and HR only)`] : []),
        ...r.questions.competencies.map((c) => `${c.label}: ${ratingLabel(r.document.ratings[c.id])}`),
      ],
    },
    { heading: 'Summary', lines: [r.document.narrative ?? ''] },
    ...r.questions.questions.map((q) => ({ heading: q.label, lines: [r.document.answers[q.id] ?? ''] })),
    { heading: `Comment from ${r.personName}`, lines: [r.comment ?? 'No comment.'] },
    {
      heading: 'Sign-off',
      lines: [r.signedOn ? `Signed off by ${r.personName} on ${r.signedOn}: read, which is not the same as agreed.` : 'Not signed off yet.'],
    },
  ];
}

const byline = (r: ExportedReview) =>
  [
    `Review of ${r.personName}`,
    r.managerName ? `by ${r.managerName}` : '',
    r.submittedOn ? `submitted ${r.submittedOn}` : '',
    r.sharedOn ? `shared ${r.sharedOn}` : '',
  ]
    .filter(Boolean)
    .join(', ');

/** Markdown's markup characters in what people wrote, escaped so their text stays text (no links, emphasis or headings of theirs). */
const escaped = (text: string) => text.replace(/([\\`*_[\]<>#|])/g, '\\$1');

export function reviewMarkdown(r: ExportedReview): string {
  const parts = [`# ${escaped(r.cycleName)}`, `_${escaped(byline(r))}._`];
  for (const part of outline(r)) {
    parts.push(`## ${escaped(part.heading)}`);
    parts.push(part.heading === 'Ratings' ? part.lines.map((l) => `- ${escaped(l)}`).join('\n') : part.lines.map(escaped).join('\n\n'));
  }
  return `${parts.join('\n\n')}\n`;
}

/**
 * The same review as a PDF (A4, the standard Helvetica: no font files to ship). pdfkit is loaded at
 * the first export: it took 0.2 s of every start (`npm run bench`, startup).
 */
export async function reviewPdf(r: ExportedReview, createdAt: Date): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `${r.cycleName}: ${r.personName}`, CreationDate: createdAt } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(18).text(r.cycleName);
  doc.font('Helvetica-Oblique').fontSize(10).text(byline(r)).moveDown();
  for (const part of outline(r)) {
    doc.font('Helvetica-Bold').fontSize(13).text(part.heading).moveDown(0.3);
    doc.font('Helvetica').fontSize(11);
    for (const line of part.lines) doc.text(line, { paragraphGap: 4 });
    doc.moveDown();
  }
  doc.end();
  return done;
}
