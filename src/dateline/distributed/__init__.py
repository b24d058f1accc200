"""dateline.distributed"""
