import { describe, expect, it } from 'vitest';
import { DEFAULT_QUESTIONS, checkAnswers, checkQuestions, newQuestionId, questionsOrDefault } from './questionnaires.ts';

describe('default questionnaire questions', () => {
  it('cover how they view their behaviour, motivation to change and the relationship, at both stages with the same ids', () => {
    const ids = DEFAULT_QUESTIONS.part_a_start.map((q) => q.id);
    for (const theme of ['behaviour_', 'motivation_', 'relationship_']) expect(ids.some((id) => id.startsWith(theme))).toBe(true);
    expect(DEFAULT_QUESTIONS.part_b_end.map((q) => q.id)).toEqual(expect.arrayContaining(ids));
    for (const stage of ['part_a_start', 'part_b_end'] as const) expect(checkQuestions(DEFAULT_QUESTIONS[stage], stage).ok).toBe(true);
  });

  it('are used when an area has none, or what it stored is not a list of questions', () => {
    expect(questionsOrDefault('part_a_start', undefined)).toEqual(DEFAULT_QUESTIONS.part_a_start);
    expect(questionsOrDefault('part_b_end', [{ nonsense: true }])).toEqual(DEFAULT_QUESTIONS.part_b_end);
    expect(questionsOrDefault('part_a_start', [{ id: 'own', text: 'An area’s own question' }])).toEqual([{ id: 'own', text: 'An area’s own question' }]);
  });
});

describe('checking questions', () => {
  it('refuses none, more than twenty, a repeated statement or id, and statements too short or long', () => {
    expect(checkQuestions([], 'part_a_start')).toMatchObject({ ok: false, errors: { part_a_start: 'Ask at least one question' } });
    const many = Array.from({ length: 21 }, (_, i) => ({ id: `q${i}`, text: `Statement number ${i}` }));
    expect(checkQuestions(many, 'part_a_start')).toMatchObject({ ok: false, errors: { part_a_start: 'Ask at most 20 questions' } });
    const result = checkQuestions(
      [
        { id: 'a', text: 'I want to change' },
        { id: 'b', text: 'i want to change ' },
        { id: 'a', text: 'Another statement' },
        { id: 'c', text: 'Hi' },
        { id: 'd', text: 'x'.repeat(201) },
      ],
      'stage',
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors)).toEqual(['stage[1].text', 'stage[2].text', 'stage[3].text', 'stage[4].text']);
  });
});

describe('checking answers', () => {
  const questions = [
    { id: 'one', text: 'First statement' },
    { id: 'two', text: 'Second statement' },
  ];

  it('takes whole numbers 1 to 5 for every question, and nothing else', () => {
    expect(checkAnswers(questions, { one: 1, two: 5 })).toEqual({ ok: true, value: { one: 1, two: 5 } });
    const wrong = checkAnswers(questions, { one: 0, two: 2.5, three: 3 });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(Object.keys(wrong.errors)).toEqual(['one', 'two', 'three']);
  });
});

describe('new question ids', () => {
  it('come from the words, unique among those taken', () => {
    expect(newQuestionId('I can name my warning signs!', new Set())).toBe('i_can_name_my_warning_signs');
    expect(newQuestionId('I can name my warning signs', new Set(['i_can_name_my_warning_signs']))).toBe('i_can_name_my_warning_signs_2');
    expect(newQuestionId('123 ???', new Set())).toBe('question');
  });
});
