// The whole page is built here: a static check sees an empty body.
const app = document.getElementById("app");
app.innerHTML =
  '<main><h1>Homework planner</h1>' +
  '<img src="planner.svg" alt="A week of homework in a grid">' +
  '<p><a href="index.html">Back to the start</a></p></main>';
