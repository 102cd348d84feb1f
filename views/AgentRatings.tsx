import { RATING_MAX, averageRating } from "../worker/ratings/rating";
import type { AgentTally } from "../worker/stores/chat-ratings";

// Customers' ratings per agent on the records pages: every agent of the company for an
// administrator, the agent's own otherwise, over every chat the page can list.

const plural = (n: number) => `${n} rating${n === 1 ? "" : "s"}`;

/** "★ 4.5 out of 5": an average is a number, not a row of whole stars. */
function Average({ tally }: { tally: AgentTally }) {
  return (
    <span class="rating-average">
      <span class="stars" aria-hidden="true">
        ★
      </span>{" "}
      <strong>{averageRating(tally)!.toFixed(1)}</strong> <span class="muted small">out of {RATING_MAX}</span>
    </span>
  );
}

/** `companyWide`: an administrator's table of every rated agent; else the reader's own figure. */
export function AgentRatings({ tallies, companyWide }: { tallies: AgentTally[]; companyWide: boolean }) {
  const title = companyWide ? "Customer ratings by agent" : "Your customers' rating";
  return (
    <section class="card agent-ratings" aria-labelledby="agent-ratings-title">
      <h2 id="agent-ratings-title">{title}</h2>
      {!tallies.length ? (
        <p class="muted small">No ratings yet. Customers may rate a chat, from 1 to 5 stars, when it ends.</p>
      ) : companyWide ? (
        <table class="table agent-ratings-table">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Average</th>
              <th scope="col">Ratings</th>
            </tr>
          </thead>
          <tbody>
            {tallies.map((tally) => (
              <tr data-agent={tally.agentId}>
                <th scope="row">{tally.agentName}</th>
                <td>
                  <Average tally={tally} />
                </td>
                <td>{tally.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="agent-rating-own">
          <Average tally={tallies[0]!} /> <span class="muted small">· {plural(tallies[0]!.count)}</span>
        </p>
      )}
    </section>
  );
}
