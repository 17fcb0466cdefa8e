"""Trends over weeks for officers: applications, offers, signed agreements and registered destinations of the
graduates in their scope, week by week on Tianjin's calendar."""
