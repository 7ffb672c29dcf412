// A decision letter laid out for reading on screen and for printing (A4, the
// app's header hidden by the print stylesheet).
import type { DecisionLetterData } from "~/decisions/letter";

function Section({ title, paragraphs }: { title: string; paragraphs: string[] }) {
  if (paragraphs.length === 0) return null;
  return (
    <section>
      <h2>{title}</h2>
      {paragraphs.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </section>
  );
}

export function DecisionLetter({ letter }: { letter: DecisionLetterData }) {
  return (
    <article className="decision-letter" aria-label={letter.draft ? "Förhandsgranskning av beslut" : "Beslut"}>
      {letter.draft ? (
        <p className="draft-mark" role="note">
          Förhandsgranskning – beslutet är inte fattat.
        </p>
      ) : null}
      <header className="letter-head">
        <div>
          <p className="letter-board">{letter.boardName}</p>
          <p className="letter-heading">{letter.heading}</p>
        </div>
        <dl className="letter-meta">
          <dt>Datum</dt>
          <dd>{letter.decidedOnLong}</dd>
          <dt>Diarienummer</dt>
          <dd>{letter.registrationNumber}</dd>
        </dl>
      </header>
      <address className="letter-addressee">
        {letter.addressee.map((line) => (
          <span key={line}>
            {line}
            <br />
          </span>
        ))}
      </address>
      <h1 className="letter-subject">{letter.subject}</h1>
      <section>
        <h2>Beslut</h2>
        <p>{letter.decision}</p>
        {letter.replaces ? <p>{letter.replaces}</p> : null}
      </section>
      <Section title="Bakgrund" paragraphs={letter.background} />
      <Section title="Skäl för beslutet" paragraphs={letter.reasons} />
      <Section title="Villkor" paragraphs={letter.conditions} />
      <Section title="Hur man överklagar" paragraphs={letter.appeal} />
      <footer className="letter-signature">
        {letter.signature.map((p) => (
          <p key={p}>{p}</p>
        ))}
      </footer>
    </article>
  );
}
