import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detailText, legendText, rankText } from './searchHits.js';

// As the API can return them: ordered by score, the matching head's probability rising from the 1st to the 2nd.
const HITS = [
  { match: 0.41, similarity: 0.32 },
  { match: 0.87, similarity: 0.18 },
  { match: null, similarity: 0.12 },
];

test('the rank follows the order the API returned, whatever the match probabilities do', () => {
  assert.deepEqual(
    HITS.map((_, i) => rankText(i)),
    ['#1', '#2', '#3'],
  );
});

test('the detail names what it is: the match probability when re-ranked, else the similarity', () => {
  assert.deepEqual(HITS.map(detailText), ['match 41%', 'match 87%', 'similarity 0.12']);
  assert.equal(detailText({ match: 0, similarity: -0.05 }), 'match 0%');
});

test('the legend says the match probability is not the order, and only when some hit has one', () => {
  assert.match(legendText(HITS), /need not fall/);
  assert.doesNotMatch(legendText([{ match: null, similarity: 0.3 }]), /match/);
});
