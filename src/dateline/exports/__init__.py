"""dateline.exports"""
