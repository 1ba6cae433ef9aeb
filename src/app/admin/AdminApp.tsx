// The closed side of the page: station management at /admin. Loaded lazily so ordinary viewers
// never download it.
export default function AdminApp() {
  return (
    <main>
      <h1>aeolian admin</h1>
    </main>
  );
}
