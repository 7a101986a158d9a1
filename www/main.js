// Loads the reader's WebAssembly and starts it. If that fails (an old browser,
// a missing file), the reader says so in the page instead of staying blank.
import init, { start } from './lecteur.js';

function showFailure(reason) {
  const app = document.getElementById('app');
  const section = document.createElement('section');
  section.className = 'message';
  section.setAttribute('data-testid', 'error');
  section.setAttribute('role', 'alert');
  const title = document.createElement('h1');
  title.textContent = 'Le lecteur n’a pas pu démarrer';
  const text = document.createElement('p');
  text.textContent = `Votre navigateur n’a pas pu charger le programme du lecteur (${reason}). ` +
    'Rechargez la page ; si le problème persiste, essayez un navigateur récent.';
  section.append(title, text);
  app.replaceChildren(section);
}

try {
  await init();
  start();
} catch (error) {
  console.warn('lecteur: start failed', error);
  showFailure(error && error.message ? error.message : String(error));
}
