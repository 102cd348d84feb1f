import { describe, expect, it } from "vitest";
import { averageRating, ratingForm } from "../../worker/ratings/rating";

// A customer's rating of a chat: what the form accepts, and how ratings become an agent's average.

const firstError = (form: Record<string, unknown>) => {
  const parsed = ratingForm.safeParse(form);
  return parsed.success ? null : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("the rating form", () => {
  it("takes a whole number of stars from 1 to 5 and a trimmed comment", () => {
    expect(ratingForm.parse({ rating: "1", comment: "  Quick and kind.  " })).toEqual({ rating: 1, comment: "Quick and kind." });
    expect(ratingForm.parse({ rating: "5" })).toEqual({ rating: 5, comment: null });
  });

  it("keeps an empty or blank comment as none", () => {
    expect(ratingForm.parse({ rating: "3", comment: "" }).comment).toBeNull();
    expect(ratingForm.parse({ rating: "3", comment: " \n\t " }).comment).toBeNull();
  });

  it.each(["0", "6", "abc", "", "4.5", "-1", "10", " 3"])("refuses the rating %j with words a person understands", (rating) => {
    expect(firstError({ rating })).toEqual({ rating: "Choose a rating from 1 to 5 stars." });
  });

  it("refuses a form without a rating", () => {
    expect(firstError({ comment: "no stars" })).toEqual({ rating: "Choose a rating from 1 to 5 stars." });
  });

  it("takes a comment of 1000 characters after trimming, and refuses 1001", () => {
    expect(ratingForm.parse({ rating: "4", comment: ` ${"a".repeat(1000)} ` }).comment).toHaveLength(1000);
    expect(firstError({ rating: "4", comment: "a".repeat(1001) })).toEqual({ comment: "Keep your comment to 1000 characters or fewer." });
  });

  it("counts characters as a person sees them: an emoji is one of the 1000", () => {
    expect(firstError({ rating: "4", comment: "😀".repeat(1000) })).toBeNull();
    expect(firstError({ rating: "4", comment: "😀".repeat(1001) })).toEqual({ comment: "Keep your comment to 1000 characters or fewer." });
  });

  it("refuses a comment holding a lone surrogate, which a hand-made request may carry", () => {
    expect(firstError({ rating: "2", comment: "bad \udfff text" })).toEqual({ comment: "Your comment holds characters that cannot be saved. Please type it again." });
    expect(firstError({ rating: "2", comment: "good 😀 text" })).toBeNull();
  });
});

describe("averageRating", () => {
  it("is null when there is nothing to average", () => {
    expect(averageRating({ sum: 0, count: 0 })).toBeNull();
  });

  it("rounds to two decimals", () => {
    expect(averageRating({ sum: 5, count: 1 })).toBe(5);
    expect(averageRating({ sum: 9, count: 2 })).toBe(4.5);
    expect(averageRating({ sum: 14, count: 3 })).toBe(4.67);
    expect(averageRating({ sum: 10, count: 3 })).toBe(3.33);
    expect(averageRating({ sum: 1, count: 8 })).toBe(0.13);
  });
});
