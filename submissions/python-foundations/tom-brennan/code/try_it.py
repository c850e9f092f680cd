# quick check that the functions work on a few of my students' quiz scores
from grades import average, percent, letter_grade, drop_lowest

quizzes = [14, 18, 9, 17]  # out of 20
print("all quizzes:", quizzes)
kept = drop_lowest(quizzes)
print("after dropping lowest:", kept)
avg = average(kept)
print("average:", avg)
p = percent(avg, 20)
print("percent:", p, letter_grade(p))
