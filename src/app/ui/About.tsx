// A short "about", folded by default so it never pushes the page around.
export function About() {
  return (
    <details className="panel-section about">
      <summary>About</summary>
      <p>
        Wind chimes in cities around the world are wired to small sensors. Every strike anywhere becomes a colored
        circle here and, once you press Listen, a chime tone: each city in its own key, panned by longitude.
      </p>
      <p>
        Nothing is invented: when the link to the relay drops, the page says so and waits. With
        <code>?source=sim</code> the page shows a simulated wind, and says so.
      </p>
    </details>
  );
}
