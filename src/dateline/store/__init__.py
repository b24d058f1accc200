"""dateline.store"""
