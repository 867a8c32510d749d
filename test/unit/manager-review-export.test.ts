import { describe, expect, it } from 'vitest';
import { type ExportedReview, reviewMarkdown, reviewPdf } from '../../src/features/reviews/manager-review.export';

const review: ExportedReview = {
  personName: 'Ana Lopez',
  managerName: 'Maya Manager',
  cycleName: 'H1 2026',
  questions: {
    competencies: [
      { id: 'craft', label: 'Craft' },
      { id: 'collaboration', label: 'Collaboration' },
    ],
    questions: [{ id: 'next', label: 'What next?' }],
  },
  document: { overall: 3, potential: 1, ratings: { craft: 5 }, answers: { next: 'Lead the migration' }, narrative: 'A steady half.\nShipped on time.' },
  rating: 4,
  calibrated: true,
  submittedOn: '2026-06-15',
  sharedOn: '2026-06-26',
  comment: 'Thanks, *fair* — see <https://evil.test|here>.',
  signedOn: '2026-06-27',
  showPotential: false,
};

describe('a review as files', () => {
  it('Markdown holds the calibrated rating, each competency, the answers, the narrative, the comment and the sign-off', () => {
    const md = reviewMarkdown(review);
    expect(md.startsWith('# H1 2026\n')).toBe(true);
    expect(md).toContain('_Review of Ana Lopez, by Maya Manager, submitted 2026-06-15, shared 2026-06-26._');
    expect(md).toContain('- Overall: 4 · Exceeds expectations (after calibration)');
    expect(md).toContain('- Craft: 5 · Far exceeds expectations');
    expect(md).toContain('- Collaboration: not rated');
    expect(md).toContain('## What next?\n\nLead the migration');
    expect(md).toContain('## Summary\n\nA steady half.\nShipped on time.');
    expect(md).toContain('## Sign-off');
    expect(md).toContain('Signed off by Ana Lopez on 2026-06-27: read, which is not the same as agreed.');
  });

  it('keeps what people wrote as text: their markup is escaped', () => {
    expect(reviewMarkdown(review)).toContain('Thanks, \\*fair\\* — see \\<https://evil.test\\|here\\>.');
  });

  it('shows potential only in files for managers and HR', () => {
    expect(reviewMarkdown(review)).not.toContain('Potential');
    expect(reviewMarkdown({ ...review, showPotential: true })).toContain('- Potential: Low (managers and HR only)');
  });

  it('says when a review is not signed off yet, and has no comment', () => {
    const md = reviewMarkdown({ ...review, comment: null, signedOn: null });
    expect(md).toContain('No comment.');
    expect(md).toContain('Not signed off yet.');
  });

  it('renders a PDF, the same every time for the same review and time', async () => {
    const at = new Date('2026-06-27T10:00:00Z');
    const pdf = await reviewPdf(review, at);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toContain('%%EOF');
    expect((await reviewPdf(review, at)).equals(pdf)).toBe(true);
    expect((await reviewPdf({ ...review, document: { ...review.document, narrative: 'Other words' } }, at)).equals(pdf)).toBe(false);
  });
});
