import * as z from "zod";

// A customer's rating of a chat that ended (customer satisfaction): 1 to 5 stars and an optional
// comment, given once. What the form may hold, and how ratings add up to an agent's average.

export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const COMMENT_MAX = 1000;

const CHOOSE = `Choose a rating from ${RATING_MIN} to ${RATING_MAX} stars.`;

/** The rating form: a whole number of stars, and a comment that may be left empty (null). */
export const ratingForm = z.object({
  rating: z
    .string({ error: CHOOSE })
    .regex(/^\d$/, CHOOSE)
    .transform(Number)
    .refine((n) => n >= RATING_MIN && n <= RATING_MAX, CHOOSE),
  comment: z
    .string({ error: "Your comment could not be read. Please type it again." })
    .trim()
    .max(COMMENT_MAX, `Keep your comment to ${COMMENT_MAX} characters or fewer.`)
    // A browser's form cannot carry a lone surrogate, but a hand-made request can: D1 would keep
    // it as invalid text that every page showing the comment then carries.
    .refine((s) => s.isWellFormed(), "Your comment holds characters that cannot be saved. Please type it again.")
    .optional()
    .transform((s) => s || null),
});

export type RatingInput = z.output<typeof ratingForm>;

/** A chat's rating as stored. */
export type Rating = { rating: number; comment: string | null; ratedAt: number };

/** Ratings added up: their sum and how many. */
export type RatingTally = { sum: number; count: number };

/** The average of a tally to two decimals (4.67), or null when there is no rating to average. */
export const averageRating = ({ sum, count }: RatingTally): number | null => (count > 0 ? Math.round((sum * 100) / count) / 100 : null);
