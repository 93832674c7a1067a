//! The app's screens, one per [`docatlas_web::route::Route`].

pub mod doc;
pub mod entities;
pub mod entity;
pub mod folder;
pub mod home;
pub mod impact;
pub mod search;
pub mod tracks;
pub mod why;
