"""dateline.evaluate"""
