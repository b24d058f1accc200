"""Training of the shipped event classifier (`dateline train`); needs scikit-learn."""
